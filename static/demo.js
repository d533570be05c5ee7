// The demo store's own little behaviour (not Kefu's): "Add to cart" adds the
// chosen quantity to the cart count in the header.
(function () {
  var count = 0;
  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('.add-to-cart');
    if (!button) return;
    var qty = document.getElementById('qty');
    count += Math.max(1, parseInt(qty && qty.value, 10) || 1);
    var link = document.querySelector('.cart-link');
    document.querySelector('.cart-count').textContent = String(count);
    if (link) link.setAttribute('aria-label', 'Cart, ' + count + (count === 1 ? ' item' : ' items'));
  });
}());

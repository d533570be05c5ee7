/*! Kefu widget loader: <script async src="https://KEFU/widget-loader.js" data-site="SITE"></script>
 * Attributes, API and theming: docs/theming.md and the README. */
(function (w, d) {
  if (w.kefu && w.kefu.loader) return; // pasted twice: one widget only
  var METHODS = ['open', 'close', 'toggle', 'sendMessage', 'setLocale', 'setUser', 'setAttributes', 'reset', 'on', 'off'];
  var script = d.currentScript || find();
  var attr = function (n) { return script && script.getAttribute('data-' + n); };
  var src = (script && script.src) || '';
  var server = (attr('server') || src.replace(/\/widget-loader\.js([?#].*)?$/, '') || location.origin).replace(/\/+$/, '');
  // Keep calls queued by a stub the site defined before this script ran.
  var queue = (w.kefu && w.kefu.q) || [];
  var started = false;
  var api = { loader: 1, q: queue };
  // One host element, its open shadow root holds the widget: no CSS crosses.
  var host = d.createElement('kefu-widget');
  var z = attr('z-index');
  host.setAttribute('data-position', attr('position') == 'left' ? 'left' : 'right');
  host.setAttribute('data-theme', attr('theme') || 'auto');
  // Inline !important beats page rules (transform, z-index…); CSSOM passes a strict CSP.
  host.style.setProperty('all', 'initial', 'important');
  if (z) host.style.setProperty('--kefu-z-index', z);
  api.show = function () { host.removeAttribute('data-launcher'); };
  api.hide = function () { host.setAttribute('data-launcher', 'hidden'); };

  function find() {
    var all = d.getElementsByTagName('script');
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/widget-loader\.js([?#]|$)/.test(all[i].src)) return all[i];
    }
  }

  function stub(name) {
    return function () {
      queue.push([name, [].slice.call(arguments)]);
      if (name === 'open' || name === 'toggle') start(); // the visitor wants it now
    };
  }
  for (var i = 0; i < METHODS.length; i++) api[METHODS[i]] = stub(METHODS[i]);
  w.kefu = api;

  function start() {
    if (started) return;
    started = true;
    var root = host.attachShadow({ mode: 'open' });
    var css = d.createElement('link');
    var box = d.createElement('div');
    css.rel = 'stylesheet';
    css.href = server + '/widget.css';
    var styled = new Promise(function (ok) { css.onload = css.onerror = ok; });
    root.appendChild(css);
    root.appendChild(box);
    (d.body || d.documentElement).appendChild(host);
    import(server + '/widget/kefu-widget.js').then(function (m) {
      return m.default({ module_or_path: server + '/widget/kefu-widget_bg.wasm' }).then(function () {
        return styled; // mount once styled: no flash of unstyled widget
      }).then(function () {
        var h = m.mount(box, {
          site: attr('site') || '',
          server: server,
          locale: attr('locale') || undefined,
          open: attr('open') != null,
          title: attr('title') || undefined,
          sound: attr('sound') == 'on'
        });
        for (var i = 0; i < METHODS.length; i++) api[METHODS[i]] = call(h, METHODS[i]);
        api.handle = h;
        for (var j = 0; j < queue.length; j++) {
          var q = queue[j];
          if (typeof api[q[0]] == 'function') api[q[0]].apply(api, q[1] || []);
        }
        queue.length = 0;
      });
    })['catch'](function (e) {
      if (w.console) console.warn('kefu: widget failed to load', e);
    });
  }

  function call(h, name) {
    return function () { return h[name].apply(h, arguments); };
  }

  // Load the widget after the page itself: it never competes with the host's content
  // (unless a stub queued open() before this script ran: the visitor wants it now).
  if (d.readyState === 'complete' || queue.some(function (c) { return /^(open|toggle)$/.test(c[0]); })) start();
  else w.addEventListener('load', start);
})(window, document);

/* Kefu widget loader: <script async src="https://KEFU/widget-loader.js" data-site="SITE"></script>
 * Attributes, API and theming: docs/theming.md and the README. (A plain comment, not a
 * kept one: the minified loader every page downloads carries none, 80 B brotli.) */
(function (w, d) {
  if (w.kefu && w.kefu.loader) return; // pasted twice: one widget only
  var METHODS = ['open', 'close', 'toggle', 'sendMessage', 'setLocale', 'setUser', 'setAttributes', 'reset', 'on', 'off'];
  var script = d.currentScript || find();
  var attr = function (n) { return script && script.getAttribute('data-' + n); };
  var src = (script && script.src) || '';
  var server = (attr('server') || src.replace(/\/widget-loader\.js([?#].*)?$/, '') || location.origin).replace(/\/+$/, '');
  // The widget's files. The build writes in its content-hashed names (esbuild --define,
  // xtask/src/publish.rs), so a page gets one build's glue, wasm and stylesheet whatever
  // is deployed meanwhile; this source falls back to the plain names.
  var glue = typeof KEFU_GLUE == 'string' ? KEFU_GLUE : '/widget/kefu-widget.js';
  var wasm = typeof KEFU_WASM == 'string' ? KEFU_WASM : '/widget/kefu-widget_bg.wasm';
  var css = typeof KEFU_CSS == 'string' ? KEFU_CSS : '/widget.css';
  // Keep calls queued by a stub the site defined before this script ran.
  var queue = (w.kefu && w.kefu.q) || [];
  var started = false;
  var api = { loader: 1, q: queue };
  // One host element, its open shadow root holds the widget: no CSS crosses.
  var host = d.createElement('kefu-widget');
  var z = attr('z-index');
  // Placed by the tag, or by the site's look (its theme.css) when the tag says nothing.
  if (attr('position')) host.setAttribute('data-position', attr('position') == 'left' ? 'left' : 'right');
  host.setAttribute('data-theme', attr('theme') || 'auto');
  // Inline !important beats page rules (transform, z-index…); CSSOM passes a strict CSP.
  // A 0×0 box at the viewport's corner: the shadow root's content positions itself.
  var look = { all: 'initial', display: 'block', position: 'fixed', inset: '0 auto auto 0', width: '0', height: '0', margin: '0', padding: '0', border: '0', overflow: 'visible' };
  for (var p in look) host.style.setProperty(p, look[p], 'important');
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
    var root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    var box = d.createElement('div');
    root.replaceChildren(box);
    // Shown only once styled: a widget without its stylesheet (404, blocked) would
    // fall into the page's flow unstyled. A failed stylesheet is retried, then given up.
    var styled = sheet(root, 0);
    // The site's look (colour, side) from its settings, after widget.css so it wins.
    var theme = d.createElement('link');
    theme.rel = 'stylesheet';
    theme.href = server + '/api/v1/sites/' + encodeURIComponent(attr('site') || '') + '/theme.css';
    root.insertBefore(theme, box);
    onTop();
    // The wasm downloads while the glue loads, not after it ran; the glue's init takes
    // the pending response. A failure shows through the import chain below.
    var response = fetch(server + wasm);
    response['catch'](function () {});
    import(server + glue).then(function (m) {
      return m.default({ module_or_path: response }).then(function () {
        return styled;
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
      // Nothing of the widget stays on the page; a later open() tries again.
      if (w.console) console.warn('kefu: widget failed to load', e);
      host.remove();
      started = false;
      for (var i = 0; i < queue.length; i++) {
        var q = queue[i];
        if (q[0] == 'on' && q[1] && q[1][0] == 'error' && typeof q[1][1] == 'function') {
          q[1][1]({ code: 'widgetUnavailable', message: String((e && e.message) || e) });
        }
      }
    });
  }

  // The stylesheet, linked inside the shadow root: resolves when it applies, retries a
  // failed one twice (after 1 s, then 3 s), then rejects.
  function sheet(root, tries) {
    return new Promise(function (ok, fail) {
      var link = d.createElement('link');
      link.rel = 'stylesheet';
      link.href = server + css + (tries ? '?retry=' + tries : '');
      link.onload = ok;
      link.onerror = function () {
        link.remove();
        if (tries >= 2) return fail(new Error('widget.css did not load'));
        setTimeout(function () { sheet(root, tries + 1).then(ok, fail); }, tries ? 3000 : 1000);
      };
      root.insertBefore(link, root.firstChild);
    });
  }

  // The widget lives in the top layer (a manual popover): above every stacking context
  // of the page, positioned against the viewport whatever transform, filter,
  // perspective, contain, overflow or z-index the page puts on <html> or <body>. A
  // child of <html>, not <body>: pages that swap <body> (Turbo, pjax) keep it. The
  // zoom of <html> is inherited even there, so the host undoes it.
  function onTop() {
    d.documentElement.appendChild(host);
    var zoom = d.documentElement.currentCSSZoom;
    if (zoom && zoom != 1) host.style.setProperty('zoom', String(1 / zoom), 'important');
    if (host.showPopover) {
      host.setAttribute('popover', 'manual');
      try { host.showPopover(); } catch (e) { /* not connected: stays in the page's layer */ }
    }
  }

  function call(h, name) {
    return function () { return h[name].apply(h, arguments); };
  }

  // Load the widget after the page itself: it never competes with the host's content
  // (unless a stub queued open() before this script ran: the visitor wants it now).
  if (d.readyState === 'complete' || queue.some(function (c) { return /^(open|toggle)$/.test(c[0]); })) start();
  else w.addEventListener('load', start);
})(window, document);

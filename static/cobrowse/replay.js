// Kefu co-browsing replay: the agent console's view of the visitor's page.
//
// This file owns drawing the `cobrowse` stream that capture.js sends (format in
// docs/protocol.md) into an <iframe sandbox="allow-same-origin"> of the console:
// - the visitor's document, rebuilt with DOM calls only (no HTML parsing of what the
//   visitor's page sent), with scripts, on* handlers, javascript: URLs, <base>,
//   meta refresh, autofocus and autoplay dropped again here, whatever arrives;
// - the iframe at the visitor's viewport size, scaled to its parent's width, scrolled
//   like the visitor's window (the iframe takes no pointer or keyboard input: the
//   console handles clicks on the parent and asks nodeIdAt);
// - the visitor's pointer (a dot over the iframe, in the parent) and an outline on
//   the element the visitor has focused;
// - noticing a lost message (a gap in `n`, or a change to a node it does not know)
//   and asking the console for a new snapshot (onGap).
// It sets the parent's height (scaled viewport) and position (if static) and adds
// the pointer to it. A classic script; its only global is
// window.__kefuReplay = { mount(opts) }.
(function () {
  'use strict';
  if (window.__kefuReplay) return;

  var SVG_NS = 'http://www.w3.org/2000/svg', XLINK_NS = 'http://www.w3.org/1999/xlink';
  var GAP_AGAIN_MS = 3000;
  // Never created, whatever the stream says.
  var DROP = /^(script|noscript|template|base|frame|frameset|portal|applet)$/;
  var URL_ATTRS = /^(src|href|action|formaction|xlink:href|poster|background|data|ping)$/;

  function isJs(v) { return /^javascript:/i.test(String(v).replace(/[\u0000-\u0020\u007f]/g, '')); }

  // Inflate a part sent deflated (`z`: base64 of raw deflate) to its bytes.
  function inflate(b64) {
    var bin = atob(b64), u = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    var out = new Blob([u]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(out).arrayBuffer();
  }
  function utf8Of(buffers) {
    var len = 0, at = 0, all;
    buffers.forEach(function (b) { len += b.byteLength; });
    all = new Uint8Array(len);
    buffers.forEach(function (b) { all.set(new Uint8Array(b), at); at += b.byteLength; });
    return new TextDecoder().decode(all);
  }

  function mount(opts) {
    var iframe = opts.iframe, host = iframe.parentElement;
    var onDrawn = opts.onDrawn || function () {}, onGap = opts.onGap || function () {};
    var byId = new Map(), idOf = new WeakMap();
    var doc = null;           // the document we drew into
    var lastN = null;         // the last `n` seen
    var ready = false;        // a snapshot is drawn and every change since applied
    var parts = null;         // the snapshot being received: { id, of, list }
    var gapAt = 0, drawn = false, destroyed = false;
    var vw = 0, vh = 0, scale = 1, sx = 0, sy = 0, ptr = null, focusEl = null, lastWidth = -1;

    // --- Pointer overlay and iframe placement ------------------------------------
    if (getComputedStyle(host).position === 'static') host.style.position = 'relative';
    host.style.overflow = 'hidden';
    iframe.setAttribute('tabindex', '-1');
    set(iframe.style, { position: 'absolute', left: '0', top: '0', border: '0', margin: '0',
      transformOrigin: '0 0', pointerEvents: 'none', background: '#fff' });
    var dot = document.createElement('div');
    dot.className = 'kefu-replay-pointer';
    dot.setAttribute('aria-hidden', 'true');
    set(dot.style, { position: 'absolute', left: '0', top: '0', display: 'none', pointerEvents: 'none', zIndex: '1',
      width: '14px', height: '14px', margin: '-7px 0 0 -7px', borderRadius: '50%', background: '#ef4444',
      border: '2px solid #fff', boxShadow: '0 0 0 1px rgba(0,0,0,.4)', boxSizing: 'border-box' });
    if (opts.pointerLabel) {
      var tag = document.createElement('span');
      tag.textContent = opts.pointerLabel;
      set(tag.style, { position: 'absolute', left: '14px', top: '10px', whiteSpace: 'nowrap', padding: '1px 6px',
        borderRadius: '4px', background: '#ef4444', color: '#fff', font: '12px/1.4 system-ui, sans-serif' });
      dot.appendChild(tag);
    }
    host.appendChild(dot);
    var ro = typeof ResizeObserver === 'function' ? new ResizeObserver(function () {
      if (host.clientWidth !== lastWidth) fit();
    }) : null;
    if (ro) ro.observe(host);
    iframe.addEventListener('load', onLoad);

    function set(style, props) { for (var k in props) style[k] = props[k]; }

    // The visitor's viewport, scaled to the parent's width.
    function fit() {
      if (!vw || !vh) return;
      lastWidth = host.clientWidth;
      scale = lastWidth ? lastWidth / vw : 1;
      iframe.style.width = vw + 'px';
      iframe.style.height = vh + 'px';
      iframe.style.transform = 'scale(' + scale + ')';
      host.style.height = Math.round(vh * scale) + 'px';
      drawPointer();
    }
    function drawPointer() {
      var x = ptr && ptr[0] - sx, y = ptr && ptr[1] - sy;
      var inside = ptr && x >= 0 && y >= 0 && x <= vw && y <= vh;
      dot.style.display = inside ? 'block' : 'none';
      if (inside) dot.style.transform = 'translate(' + x * scale + 'px,' + y * scale + 'px)';
    }
    // Scroll the drawn window like the visitor's (again once stylesheets and images
    // made the page tall enough).
    function applyScroll() {
      var w = iframe.contentWindow;
      if (w && (Math.round(w.scrollX) !== sx || Math.round(w.scrollY) !== sy)) w.scrollTo(sx, sy);
    }
    function onLoad() {
      // The iframe navigated (or was reloaded by the console): what we drew is gone.
      if (drawn && iframe.contentDocument !== doc) gap(true);
    }

    // --- Building nodes ------------------------------------------------------------
    function setAttr(el, name, v) {
      var n = String(name).toLowerCase(), tag = el.localName;
      if (n.slice(0, 2) === 'on' || n === 'srcdoc' || n === 'autofocus' || n === 'autoplay' || n === 'nonce') return;
      if (/^(iframe|object|embed)$/.test(tag) && (n === 'src' || n === 'data')) return;
      if (URL_ATTRS.test(n) && isJs(v)) { el.removeAttribute(name); return; }
      try {
        if (v === null) el.removeAttribute(name);
        else if (n === 'style') el.style.cssText = v; // CSSOM: allowed by a style-src CSP
        else if (n === 'value' && (tag === 'textarea' || tag === 'select')) setValue(el, v);
        else if (n.slice(0, 6) === 'xlink:') el.setAttributeNS(XLINK_NS, name, v);
        else el.setAttribute(name, v);
      } catch (e) { /* a name the DOM refuses */ }
    }
    function setValue(el, v) {
      var tag = el.localName, i;
      if (tag === 'select') {
        for (i = 0; i < el.options.length; i++) if (el.options[i].text === v) { el.selectedIndex = i; return; }
      } else if (tag === 'textarea' || (tag === 'input' && !/^(checkbox|radio|file)$/.test(el.type))) {
        try { el.value = v; } catch (e) { /* a type that refuses it */ }
      }
    }
    // A NODE into a node (element, text, or an empty comment standing in for
    // something never drawn, so that its id stays known).
    function build(node) {
      var id = node[0], tag = String(node[1]), el, i, k, attrs, kids;
      if (tag === '#t') {
        el = doc.createTextNode(String(node[2]));
      } else {
        var svg = tag.slice(0, 4) === 'svg:', local = (svg ? tag.slice(4) : tag).toLowerCase();
        attrs = node[2] || {};
        if (DROP.test(local) || (local === 'meta' && 'http-equiv' in attrs) ||
          (local === 'link' && !/(^|\s)stylesheet(\s|$)/i.test(attrs.rel || ''))) {
          el = doc.createComment('');
        } else {
          try { el = svg ? doc.createElementNS(SVG_NS, tag.slice(4)) : doc.createElement(tag); } catch (e) { el = doc.createElement('div'); }
          for (k in attrs) if (k !== 'value' || el.localName !== 'select') setAttr(el, k, attrs[k]);
          kids = node[3] || [];
          for (i = 0; i < kids.length; i++) el.appendChild(build(kids[i]));
          if (el.localName === 'select' && 'value' in attrs) setValue(el, attrs.value);
        }
      }
      byId.set(id, el);
      idOf.set(el, id);
      return el;
    }

    // --- The stream -------------------------------------------------------------------
    // Something was lost: ask for a snapshot once (again if nothing came after a while)
    // and ignore changes until it is drawn.
    function gap(force) {
      ready = false;
      var now = Date.now();
      if (force || !gapAt || (!parts && now - gapAt > GAP_AGAIN_MS)) {
        gapAt = now;
        onGap();
      }
    }
    function snapPart(m) {
      var zipped = typeof m.z === 'string';
      if (m.i === 0) parts = { id: m.id, of: m.of, list: [], zipped: zipped };
      if (!parts || parts.id !== m.id || m.i !== parts.list.length || parts.zipped !== zipped ||
          (!zipped && typeof m.part !== 'string')) {
        parts = null;
        return gap();
      }
      parts.list.push(zipped ? m.z : m.part);
      if (parts.list.length < parts.of) return;
      var list = parts.list;
      parts = null;
      if (!zipped) return draw(JSON.parse(list.join('')));
      // Deflated: what follows waits until the page is drawn.
      return inflate(list.join('')).then(function (b) { draw(JSON.parse(utf8Of([b]))); });
    }
    // A change batch: its ops, inflated first when sent deflated.
    function changes(m) {
      if (typeof m.z !== 'string') return applyOps(m.ops);
      return inflate(m.z).then(function (b) { applyOps(JSON.parse(utf8Of([b]))); });
    }
    function applyOps(ops) {
      if (!Array.isArray(ops)) return;
      mutate(ops);
      if (focusEl && !focusEl.style.outline) markFocus(idOf.get(focusEl));
      applyScroll();
    }
    // A complete snapshot replaces the drawn document.
    function draw(s) {
      doc = iframe.contentDocument;
      if (!doc) return; // not same-origin: the console's iframe lacks allow-same-origin
      byId = new Map();
      idOf = new WeakMap();
      focusEl = null;
      var root = build(s.root);
      if (doc.documentElement) doc.replaceChild(root, doc.documentElement);
      else doc.appendChild(root);
      // Resources that finish loading may make the page tall enough to scroll.
      doc.addEventListener('load', applyScroll, true);
      vw = Number(s.vw) || vw; vh = Number(s.vh) || vh;
      sx = Number(s.sx) || 0; sy = Number(s.sy) || 0;
      fit();
      applyScroll();
      ready = true; gapAt = 0;
      if (!drawn) { drawn = true; onDrawn(); }
    }
    function node(id) {
      var n = byId.get(id);
      if (!n) throw new Error('unknown node ' + id); // a lost message
      return n;
    }
    function mutate(ops) {
      for (var i = 0; i < ops.length; i++) {
        var op = ops[i], n, p, b;
        if (op[0] === 'add') {
          p = node(op[1]);
          b = op[2] == null ? null : node(op[2]);
          n = build(op[3]);
          p.insertBefore(n, b && b.parentNode === p ? b : null);
        } else if (op[0] === 'rm') {
          n = node(op[1]);
          byId.delete(op[1]);
          if (n.parentNode) n.parentNode.removeChild(n);
        } else if (op[0] === 'attr') {
          n = node(op[1]);
          if (n.nodeType === 1) setAttr(n, op[2], op[3]);
        } else if (op[0] === 'text') {
          n = node(op[1]);
          if (n.nodeType === 3) n.data = String(op[2]);
        } else if (op[0] === 'val') {
          n = node(op[1]);
          if (n.nodeType === 1) setValue(n, String(op[2]));
        } else if (op[0] === 'open') {
          n = node(op[1]);
          if (n.localName === 'details') n.open = !!op[2];
        }
      }
    }
    function markFocus(id) {
      if (focusEl && focusEl.style) { focusEl.style.removeProperty('outline'); focusEl.style.removeProperty('outline-offset'); }
      focusEl = id ? byId.get(id) || null : null;
      if (focusEl && focusEl.style) {
        focusEl.style.setProperty('outline', '2px solid #f59e0b', 'important');
        focusEl.style.setProperty('outline-offset', '2px', 'important');
      }
    }

    // Messages are handled in order; one whose parts are being inflated holds the
    // ones after it.
    var inbox = [], busy = false;
    function receive(data) {
      if (destroyed) return;
      var m;
      try { m = JSON.parse(data); } catch (e) { return; }
      if (!m || typeof m !== 'object') return;
      // From the server, not the visitor's stream (no `n`).
      if (m.k === 'control') { if (opts.onControl) opts.onControl(!!m.allow); return; }
      inbox.push(m);
      while (!busy && inbox.length && !destroyed) handle(inbox.shift());
    }
    function handle(m) {
      var waiting = handleNow(m);
      if (!waiting) return;
      busy = true;
      waiting.then(null, function () { gap(); }).then(function () {
        busy = false;
        while (!busy && inbox.length && !destroyed) handle(inbox.shift());
      });
    }
    // One message; a promise when it must be inflated first.
    function handleNow(m) {
      var n = m.n, restart = m.k === 'snap' && m.i === 0;
      // A new snapshot makes up for anything lost (and n restarts at 1 on a new page).
      if (typeof n === 'number' && lastN !== null && n !== lastN + 1 && !restart) {
        parts = null;
        gap();
      }
      if (typeof n === 'number') lastN = n;
      try {
        if (m.k === 'snap') return snapPart(m);
        if (!ready) {
          if (!parts) gap();
          return;
        }
        if (m.k === 'mut') {
          return changes(m);
        } else if (m.k === 'scroll') {
          var x = Number(m.x) || 0, y = Number(m.y) || 0, el;
          if (!m.id) { sx = x; sy = y; applyScroll(); drawPointer(); }
          else if ((el = byId.get(m.id)) && el.nodeType === 1) { el.scrollLeft = x; el.scrollTop = y; }
        } else if (m.k === 'view') {
          vw = Number(m.w) || vw; vh = Number(m.h) || vh;
          fit();
        } else if (m.k === 'ptr') {
          ptr = [Number(m.x) || 0, Number(m.y) || 0];
          drawPointer();
        } else if (m.k === 'focus') {
          markFocus(m.id);
        }
      } catch (e) {
        // A change to a node we do not have, or a snapshot that does not parse.
        gap();
      }
    }

    return {
      receive: receive,
      // The capture id of the element under (x, y), given relative to the iframe's
      // box as shown (scaled); null when none.
      nodeIdAt: function (x, y) {
        if (!ready || !doc) return null;
        for (var n = doc.elementFromPoint(x / scale, y / scale); n; n = n.parentNode) {
          if (idOf.has(n)) return idOf.get(n);
        }
        return null;
      },
      destroy: function () {
        if (destroyed) return;
        destroyed = true;
        if (ro) ro.disconnect();
        iframe.removeEventListener('load', onLoad);
        if (doc) {
          doc.removeEventListener('load', applyScroll, true);
          if (doc.documentElement) doc.documentElement.remove();
        }
        dot.remove();
        byId = new Map();
      }
    };
  }

  window.__kefuReplay = { mount: mount };
})();

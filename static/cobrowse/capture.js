// Kefu co-browsing capture: the visitor's side of remote assistance.
//
// This file owns, on the visitor's (host) page and only while co-browsing runs:
// - turning the page into the `cobrowse` stream (a snapshot, then batched DOM
//   changes, scroll, viewport, pointer, focus and a heartbeat), sent with opts.send:
//   when the widget starts it (`connect`, below), on a connection of its own;
// - the privacy rules, applied here before anything leaves the page: field values
//   masked with U+2022, [data-kefu-mask] text masked, [data-kefu-block] replaced by
//   a grey box, scripts, handlers, javascript: URLs and frame contents never sent,
//   the widget itself never captured;
// - the visitor's bar (who is watching, Stop, the second consent) and the ring that
//   shows what the agent points at, both inside the widget's shadow root;
// - carrying out the agent's click / type / scroll, only after that second consent.
//   Typing goes only into fields the site marks [data-kefu-unmask] (every other
//   field's value is masked, so the agent could not see what it types over), never
//   into passwords.
// The message format is documented in docs/protocol.md (co-browsing stream).
// A classic script (loaded by the widget with <script src> after the visitor
// accepted); its only global is window.__kefuCobrowse = { start(opts), connect(cfg) }.
// ASCII only (the Chinese strings are \u escapes): host pages use any charset.
(function () {
  'use strict';
  // This script element (the widget's, with its data-kefu-*), if any.
  var me = document.currentScript;
  // Loaded again (a second sharing on this page): the first copy does the work.
  if (window.__kefuCobrowse) {
    if (me) window.__kefuCobrowse.connect(configOf(me));
    return;
  }

  // Limits: one frame's text (UTF-8), one snapshot part (UTF-16 units; even fully
  // escaped twice a part stays far below the frame limit), timers in ms.
  var MAX_FRAME = 32000, PART = 4000, HEARTBEAT = 4000, RING_MS = 3000;
  // Compressed (opts.zip): the snapshot's UTF-8 deflated whole, its base64 sent in
  // parts of ZPART characters (ASCII: never escaped, so a part always fits a frame);
  // a change batch whose data exceeds ZMIN characters is deflated too.
  var ZPART = 30000, ZMIN = 2048;
  var THROTTLE = 100, PTR_MS = 50;
  var DOT = '\u2022';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var TEXTS = {
    en: { view: '{a} is viewing this page', stop: 'Stop',
      allow: 'Let {a} click and type', revoke: 'Stop control' },
    zh: { view: '{a} \u6b63\u5728\u67e5\u770b\u6b64\u9875\u9762', stop: '\u505c\u6b62',
      allow: '\u5141\u8bb8 {a} \u70b9\u51fb\u548c\u8f93\u5165', revoke: '\u6536\u56de\u63a7\u5236' }
  };
  // Elements sent without their content (size kept), and attributes never sent on them.
  var OPAQUE = { iframe: 1, frame: 1, object: 1, embed: 1 };
  // Attributes holding one URL: made absolute, dropped when javascript:.
  var URL_ATTRS = { src: 1, href: 1, poster: 1, action: 1, formaction: 1, 'xlink:href': 1, background: 1 };
  // A change of these attributes can change what is sent at all: resend the element.
  var REBUILD = /^(data-kefu-|contenteditable$|type$|rel$|http-equiv$)/;
  // Blocked elements that cannot show a grey box themselves become a div.
  var BLOCK_AS_DIV = /^(img|input|textarea|select|video|audio|canvas|picture|iframe|frame|object|embed)$/;
  var utf8 = new TextEncoder();
  var current = null;

  // --- Masking -----------------------------------------------------------------
  // A field's value: every code point becomes a dot (same length, nothing else).
  function maskAll(s) { return DOT.repeat(Array.from(String(s)).length); }
  // Text the site asked to mask: dots, but whitespace kept so the layout holds.
  function maskText(s) { return String(s).replace(/\S/gu, DOT); }
  // Whether a field's (input, textarea, select, contenteditable) value is masked:
  // always for passwords; otherwise unless the site marks it [data-kefu-unmask].
  // Submit/button/reset inputs' value is their label, written by the site.
  function masked(el) {
    if (el.localName === 'input') {
      if (el.type === 'password') return true;
      if (/^(submit|button|reset)$/.test(el.type)) return false;
    }
    return !el.closest('[data-kefu-unmask]') || !!el.closest('[data-kefu-mask]');
  }
  // What a text node's text is sent as, by where it is.
  function textOf(t) {
    var p = t.parentElement, v = t.data, f;
    if (!p) return v;
    if (p.localName === 'style') return absCss(v);
    if (p.closest('[data-kefu-mask]')) return maskText(v);
    if ((f = p.closest('select'))) return masked(f) ? maskText(v) : v;
    f = p.closest('textarea') || (p.isContentEditable ? p : null);
    return f && masked(f) ? maskAll(v) : v;
  }
  // A field's live value as sent (undefined: not a value we show).
  function valueOf(el) {
    var tag = el.localName, o;
    if (tag === 'select') {
      o = el.options[el.selectedIndex];
      return o ? (masked(el) ? maskText(o.text) : o.text) : '';
    }
    if (tag === 'textarea' || (tag === 'input' && !/^(checkbox|radio|file|image)$/.test(el.type))) {
      return masked(el) ? maskAll(el.value) : el.value;
    }
  }

  // --- URLs ----------------------------------------------------------------------
  function isJs(v) { return /^javascript:/i.test(String(v).replace(/[\u0000-\u0020\u007f]/g, '')); }
  // Absolute against the page's base URL (fragments and data: stay as they are).
  function abs(v) {
    if (!v || v.charAt(0) === '#' || /^(data|blob|about|mailto|tel):/i.test(v)) return v;
    try { return new URL(v, document.baseURI).href; } catch (e) { return v; }
  }
  function absSrcset(v) {
    return v.replace(/(^|,)(\s*)([^\s,]\S*)/g, function (m, sep, sp, url) {
      var tail = /,*$/.exec(url)[0];
      return sep + sp + abs(url.slice(0, url.length - tail.length)) + tail;
    });
  }
  function absCss(css) {
    return String(css)
      .replace(/url\(\s*(['"]?)(.*?)\1\s*\)/gi, function (m, q, u) { return 'url(' + q + abs(u) + q + ')'; })
      .replace(/@import\s+(['"])(.*?)\1/gi, function (m, q, u) { return '@import ' + q + abs(u) + q; });
  }
  // --- Compression (where the browser has CompressionStream) -------------------
  // Raw deflate of `bytes` (a string or a Uint8Array), as base64.
  function deflate(bytes) {
    var z = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Response(z).arrayBuffer().then(function (buf) {
      var u = new Uint8Array(buf), bin = '';
      for (var i = 0; i < u.length; i += 8192) bin += String.fromCharCode.apply(null, u.subarray(i, i + 8192));
      return btoa(bin);
    });
  }
  var canZip = typeof CompressionStream === 'function' && typeof Response === 'function';

  function rulesOf(sheet) {
    var out = '';
    try { for (var i = 0; i < sheet.cssRules.length; i++) out += sheet.cssRules[i].cssText + '\n'; } catch (e) { /* unreadable */ }
    return out;
  }

  function start(opts) {
    if (current) current.stop();
    var send = opts.send, cid = opts.conversationId, root = opts.root || document.body;
    var exclude = opts.exclude || null;
    var lang = TEXTS[/^zh/i.test(opts.lang || '') ? 'zh' : 'en'];
    var agent = String(opts.agent || '');
    var allowed = !!opts.control, stopped = false, zip = !!opts.zip && canZip;
    // While something is being compressed, what follows waits behind it (in order).
    var outbox = null;
    var ids = new WeakMap(), lastId = 0, seq = 0, snapId = 0;
    var synth = new WeakMap(); // <style> filled by insertRule: { id, count } of its made-up text node
    var fresh = null;          // nodes serialised by the running flush
    var queue = [], vals = new Set(), opens = new Set(), scrolls = new Set();
    var scheduled = false, raf = 0, rafTimer = 0, scrollTimer = 0, ptrTimer = 0, viewTimer = 0;
    var hbTimer = 0, ringTimer = 0, ptr = null, ringTarget = null;
    var listeners = [], mo = null, bar = null, ring = null, ctl = null;

    // --- Which nodes are sent ------------------------------------------------------
    function idOf(n) {
      var i = ids.get(n);
      if (!i) { i = ++lastId; ids.set(n, i); }
      if (fresh) fresh.add(n);
      return i;
    }
    // Elements never sent, nor anything inside them.
    function dropped(el) {
      var tag = el.localName;
      return el === exclude || el.hasAttribute('data-kefu-widget') ||
        /^(script|noscript|template|base)$/.test(tag) ||
        (tag === 'meta' && el.hasAttribute('http-equiv')) ||
        (tag === 'link' && !/(^|\s)stylesheet(\s|$)/i.test(el.rel || ''));
    }
    function blocked(el) { return el.hasAttribute('data-kefu-block'); }
    // Sent, but nothing inside.
    function opaque(el) { return blocked(el) || OPAQUE[el.localName] === 1; }
    // Whether the node is (or would be) part of what is sent: in the document (not in
    // a shadow root), outside anything dropped, not inside an opaque element.
    function shown(n) {
      if (n.getRootNode() !== document) return false;
      for (var e = n; e && e !== document; e = e.parentNode) {
        if (e.nodeType === 1 && (dropped(e) || (e !== n && opaque(e)))) return false;
      }
      return true;
    }
    // A sent element whose children are sent too.
    function container(n) { return ids.has(n) && shown(n) && !opaque(n); }

    // One attribute as sent; undefined: not sent.
    function attrValue(el, name, v) {
      var n = name.toLowerCase(), tag = el.localName;
      if (n.slice(0, 2) === 'on' || n === 'srcdoc' || n === 'nonce') return;
      if (OPAQUE[tag] && (n === 'src' || n === 'data')) return;
      if (URL_ATTRS[n]) return isJs(v) ? undefined : abs(v);
      if (n === 'srcset') return absSrcset(v);
      if (n === 'style') return absCss(v);
      if (n === 'value' && /^(input|textarea|select|option)$/.test(tag) && masked(el)) return maskAll(v);
      return v;
    }

    // The NODE of a node: [id, tag, attrs, children] or [id, "#t", text]; null: not sent.
    function ser(node, scrolled) {
      if (node.nodeType === 3) return [idOf(node), '#t', textOf(node)];
      if (node.nodeType !== 1 || dropped(node)) return null;
      var el = node, tag = el.localName, id = idOf(el), attrs = {}, kids = [], i, c, r, v;
      var name = el.namespaceURI === SVG_NS ? 'svg:' + tag : tag;
      if (blocked(el) || OPAQUE[tag]) r = el.getBoundingClientRect();
      if (blocked(el)) {
        // Same size, grey, nothing of the original.
        v = getComputedStyle(el).display;
        if (name === tag && BLOCK_AS_DIV.test(tag)) name = 'div';
        return [id, name, { 'data-kefu-blocked': '', style: 'display:' +
          (v === 'inline' || v === 'contents' ? 'inline-block' : v) + ';box-sizing:border-box;width:' +
          Math.round(r.width) + 'px;height:' + Math.round(r.height) + 'px;background:#d1d5db' }, []];
      }
      for (i = 0; i < el.attributes.length; i++) {
        c = el.attributes[i];
        v = attrValue(el, c.name, c.value);
        if (v !== undefined) attrs[c.name] = v;
      }
      if (OPAQUE[tag]) {
        // A frame, object or embed: its box only.
        attrs.style = (attrs.style ? attrs.style + ';' : '') + 'box-sizing:border-box;width:' + Math.round(r.width) +
          'px;height:' + Math.round(r.height) + 'px;background:#e5e7eb';
        return [id, name, attrs, kids];
      }
      for (c = el.firstChild; c; c = c.nextSibling) {
        if ((v = ser(c, scrolled))) kids.push(v);
      }
      // Live state: a field's value (masked), the rules of a <style> filled by insertRule.
      if ((v = valueOf(el)) !== undefined) attrs.value = v;
      if (tag === 'style' && !el.textContent.trim() && el.sheet) {
        v = rulesOf(el.sheet);
        c = synth.get(el) || { id: ++lastId };
        c.count = el.sheet.cssRules.length;
        synth.set(el, c);
        if (v) kids = [[c.id, '#t', absCss(v)]];
      }
      if (scrolled && (el.scrollTop || el.scrollLeft) && el !== document.scrollingElement) scrolled.push(el);
      return [id, name, attrs, kids];
    }

    // --- Sending -------------------------------------------------------------------
    // Send stream messages (a list, or a promise of one) after everything posted
    // before, numbering them (`n`) as they go out.
    function emit(list) {
      if (!outbox && Array.isArray(list)) return list.forEach(sendMsg);
      // A compression that failed is the capture failing (rcfailure); either way the
      // outbox empties, so nothing waits behind a broken promise.
      var mine = outbox = Promise.all([outbox, list]).then(function (r) { if (!stopped) r[1].forEach(sendMsg); }, fail);
      mine.then(function () { if (outbox === mine) outbox = null; });
    }
    function sendMsg(msg) {
      var m = { k: msg.k, n: ++seq }; // `k` and `n` first, as readers expect
      for (var key in msg) if (key !== 'k' && key !== 'n') m[key] = msg[key];
      send(JSON.stringify({ type: 'cobrowse', conversationID: cid, data: JSON.stringify(m) }));
    }
    // A stream message; false (nothing sent) when its frame would be too large.
    // A large change batch goes deflated when that is smaller: `z` instead of `ops`.
    function post(msg) {
      if (scheduled && msg.k !== 'mut' && msg.k !== 'snap') flush(); // changes before what depends on them
      var m = { k: msg.k, n: seq + 99 }; // (the size it will have once numbered)
      for (var key in msg) if (key !== 'k') m[key] = msg[key];
      var data = JSON.stringify(m);
      var text = JSON.stringify({ type: 'cobrowse', conversationID: cid, data: data });
      if (utf8.encode(text).length > MAX_FRAME) return false;
      if (zip && m.k === 'mut' && data.length > ZMIN) {
        emit(deflate(JSON.stringify(m.ops)).then(function (z) {
          return [z.length < data.length * 0.9 ? { k: 'mut', z: z } : m];
        }, function () { return [m]; }));
      } else {
        emit([m]);
      }
      return true;
    }
    function frame(type, extra) {
      var f = { type: type, conversationID: cid };
      for (var k in extra) f[k] = extra[k];
      send(JSON.stringify(f)); // not stream data: nothing to wait for
    }
    // The snapshot's JSON in parts: compressed, the base64 of its UTF-8 deflated, in
    // ZPART characters each (`z`); otherwise PART characters of the JSON each (`part`).
    function postSnapshot(json) {
      var sid = ++snapId, i, j;
      if (zip) {
        return emit(deflate(utf8.encode(json)).then(function (z) {
          var list = [], of = Math.ceil(z.length / ZPART);
          for (i = 0; i < of; i++) list.push({ k: 'snap', id: sid, i: i, of: of, z: z.slice(i * ZPART, (i + 1) * ZPART) });
          return list;
        }));
      }
      var parts = [];
      for (i = 0; i < json.length; i = j) {
        j = Math.min(i + PART, json.length);
        if (j < json.length && /[\ud800-\udbff]/.test(json.charAt(j - 1))) j--; // keep surrogate pairs whole
        parts.push(json.slice(i, j));
      }
      for (i = 0; i < parts.length; i++) {
        if (!post({ k: 'snap', id: sid, i: i, of: parts.length, part: parts[i] })) throw new Error('snapshot part too large');
      }
    }

    // The whole page, in parts; it replaces whatever the agent sees.
    function snapshot() {
      if (mo) mo.takeRecords();
      cancelAnimationFrame(raf); clearTimeout(rafTimer);
      scheduled = false; queue = []; vals.clear(); opens.clear();
      var scrolled = [], head, css = '', i;
      var rootNode = ser(document.documentElement, scrolled);
      // Constructed stylesheets the page adopted, as one more <style> in <head>.
      var sheets = document.adoptedStyleSheets || [];
      for (i = 0; i < sheets.length; i++) css += rulesOf(sheets[i]);
      if (css && rootNode) {
        for (i = 0; i < rootNode[3].length; i++) if (rootNode[3][i][1] === 'head') head = rootNode[3][i];
        if (head) head[3].push([++lastId, 'style', { 'data-kefu-adopted': '' }, [[++lastId, '#t', absCss(css)]]]);
      }
      var json = JSON.stringify({ url: location.href, title: document.title, vw: innerWidth, vh: innerHeight,
        sx: Math.round(scrollX), sy: Math.round(scrollY), root: rootNode });
      postSnapshot(json);
      // Scrolled boxes inside the page.
      scrolled.forEach(function (el) {
        post({ k: 'scroll', id: ids.get(el), x: Math.round(el.scrollLeft), y: Math.round(el.scrollTop) });
      });
    }

    // --- Changes -------------------------------------------------------------------
    // At most one batch per animation frame; the timeout covers hidden tabs.
    function schedule() {
      if (scheduled) return;
      scheduled = true;
      raf = requestAnimationFrame(guard(flush));
      rafTimer = setTimeout(guard(flush), THROTTLE);
    }
    function flush() {
      cancelAnimationFrame(raf); clearTimeout(rafTimer);
      scheduled = false;
      var recs = queue.concat(mo ? mo.takeRecords() : []);
      queue = [];
      var ops = [], rms = new Set(), added = new Set(), attrs = new Map(), texts = new Set(), roots = [];
      var resnap = false;
      recs.forEach(function (r) {
        var t = r.target, i;
        if (r.type === 'childList') {
          for (i = 0; i < r.removedNodes.length; i++) {
            if (ids.has(r.removedNodes[i]) && container(t)) rms.add(r.removedNodes[i]);
          }
          for (i = 0; i < r.addedNodes.length; i++) added.add(r.addedNodes[i]);
        } else if (r.type === 'characterData') {
          texts.add(t);
        } else if (REBUILD.test(r.attributeName)) {
          // Resend the element as it is now (or only remove it, if it is no longer sent).
          if (ids.has(t) && t.parentNode && container(t.parentNode)) rms.add(t);
          added.add(t);
        } else {
          if (!attrs.has(t)) attrs.set(t, new Set());
          attrs.get(t).add(r.attributeName);
        }
      });
      rms.forEach(function (n) { ops.push(['rm', ids.get(n)]); });
      // Added nodes: only the topmost ones of this batch (their NODE holds the rest).
      added.forEach(function (n) {
        var p = n.parentNode, a;
        if (!p || n.getRootNode() !== document) return;
        for (a = p; a; a = a.parentNode) if (added.has(a)) return;
        if (p === document) resnap = true; // a new <html>
        else if (container(p)) roots.push(n);
      });
      if (resnap) return snapshot();
      roots.sort(function (a, b) { return a.compareDocumentPosition(b) & 4 ? -1 : 1; });
      fresh = new Set();
      roots.forEach(function (n) { addOp(ops, n, added); });
      attrs.forEach(function (names, el) {
        if (fresh.has(el) || !ids.has(el) || !shown(el) || blocked(el)) return;
        names.forEach(function (name) {
          var v = el.getAttribute(name);
          if (v !== null) v = attrValue(el, name, v);
          if (v === undefined) v = name.slice(0, 2).toLowerCase() === 'on' ? undefined : null;
          if (v !== undefined) ops.push(['attr', ids.get(el), name, v]);
        });
        if (el.localName === 'select' || el.localName === 'textarea') vals.add(el);
      });
      texts.forEach(function (t) {
        if (!fresh.has(t) && ids.has(t) && t.parentNode && container(t.parentNode)) {
          ops.push(['text', ids.get(t), textOf(t)]);
          if (t.parentNode.localName === 'textarea') vals.add(t.parentNode);
        }
      });
      vals.forEach(function (el) {
        var v = valueOf(el);
        if (v !== undefined && !fresh.has(el) && ids.has(el) && shown(el)) ops.push(['val', ids.get(el), v]);
      });
      opens.forEach(function (el) {
        if (!fresh.has(el) && ids.has(el) && shown(el)) ops.push(['open', ids.get(el), el.open]);
      });
      fresh = null; vals.clear(); opens.clear();
      // Too large for one frame: halves; one op too large: a new snapshot instead.
      if (ops.length && !postOps(ops)) snapshot();
    }
    // ["add", parent, before, NODE]: before the next sibling the agent already has
    // (not one added in this same batch).
    function addOp(ops, n, pending) {
      var node = ser(n), b = n.nextSibling;
      if (!node) return;
      while (b && (!ids.has(b) || pending.has(b))) b = b.nextSibling;
      ops.push(['add', ids.get(n.parentNode), b ? ids.get(b) : null, node]);
    }
    function postOps(ops) {
      if (post({ k: 'mut', ops: ops })) return true;
      if (ops.length < 2) return false;
      var h = ops.length >> 1;
      return postOps(ops.slice(0, h)) && postOps(ops.slice(h));
    }
    // <style> elements filled by insertRule (CSS-in-JS) change no DOM: compare their
    // rule counts on each heartbeat.
    function checkSheets() {
      var list = document.getElementsByTagName('style'), ops = [], i, s, c;
      for (i = 0; i < list.length; i++) {
        s = list[i]; c = synth.get(s);
        if (c && s.sheet && s.sheet.cssRules.length !== c.count && ids.has(s) && shown(s)) {
          // A first rule needs the made-up text node the agent does not have yet.
          if (c.count) ops.push(['text', c.id, absCss(rulesOf(s.sheet))]);
          else { ops.push(['rm', ids.get(s)]); addOp(ops, s, new Set()); }
          c.count = s.sheet.cssRules.length;
        }
      }
      if (ops.length && !postOps(ops)) snapshot();
    }

    // --- Events from the page --------------------------------------------------------
    function guard(fn) {
      return function (e) {
        if (stopped) return;
        try { fn(e); } catch (err) { fail(err); }
      };
    }
    function on(target, type, fn) {
      var g = guard(fn), o = { capture: true, passive: true };
      target.addEventListener(type, g, o);
      listeners.push(function () { target.removeEventListener(type, g, o); });
    }
    function onValue(e) {
      if (/^(input|textarea|select)$/.test(e.target.localName || '')) { vals.add(e.target); schedule(); }
    }
    function onToggle(e) {
      if (e.target.localName === 'details') { opens.add(e.target); schedule(); }
    }
    function onScroll(e) {
      placeRing();
      scrolls.add(e.target);
      if (!scrollTimer) scrollTimer = setTimeout(guard(sendScrolls), THROTTLE);
    }
    function sendScrolls() {
      scrollTimer = 0;
      scrolls.forEach(function (t) {
        if (t === document || t === document.scrollingElement) {
          post({ k: 'scroll', id: 0, x: Math.round(scrollX), y: Math.round(scrollY) });
        } else if (ids.has(t) && shown(t)) {
          post({ k: 'scroll', id: ids.get(t), x: Math.round(t.scrollLeft), y: Math.round(t.scrollTop) });
        }
      });
      scrolls.clear();
    }
    function onResize() {
      placeRing();
      if (!viewTimer) viewTimer = setTimeout(guard(function () {
        viewTimer = 0;
        post({ k: 'view', w: innerWidth, h: innerHeight });
      }), THROTTLE);
    }
    // The visitor's pointer, in document coordinates, at most every PTR_MS.
    function onPointer(e) {
      ptr = [Math.round(e.pageX), Math.round(e.pageY)];
      if (!ptrTimer) ptrTimer = setTimeout(guard(function () {
        ptrTimer = 0;
        post({ k: 'ptr', x: ptr[0], y: ptr[1] });
      }), PTR_MS);
    }
    // Focus moves to a sent element (its id) or elsewhere (0: the widget, nothing).
    function onFocus(e) {
      var t = e.target;
      if (e.type === 'focusout' && e.relatedTarget) return; // a focusin follows
      post({ k: 'focus', id: e.type === 'focusin' && ids.has(t) && shown(t) ? ids.get(t) : 0 });
    }

    // --- The agent's messages ------------------------------------------------------------
    // The element with this id, found by walking the page (no strong map of nodes).
    function byId(id) {
      id = Number(id);
      if (!id) return null;
      var w = document.createTreeWalker(document.documentElement, 1), n;
      for (n = w.currentNode; n; n = w.nextNode()) if (ids.get(n) === id) return n;
      return null;
    }
    // What the agent may act on: allowed, shown, not blocked, not a frame's box.
    function actionable(id) {
      var el = allowed ? byId(id) : null;
      return el && shown(el) && !opaque(el) ? el : null;
    }
    function receive(data) {
      if (stopped) return;
      var m, el, proto;
      try { m = JSON.parse(data); } catch (e) { return; }
      // The widget hands over the whole relayed frame; its data is the message.
      if (m && m.type === 'cobrowse' && typeof m.data === 'string') {
        try { m = JSON.parse(m.data); } catch (e) { return; }
      }
      if (!m || typeof m !== 'object') return;
      if (m.k === 'resync') snapshot();
      else if (m.k === 'point') point(byId(m.id));
      else if (m.k === 'click' && (el = actionable(m.id))) {
        if (el.focus) el.focus({ preventScroll: true });
        if (el.click) el.click();
        else el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
      } else if (m.k === 'type' && typeof m.text === 'string' && (el = actionable(m.id)) &&
        (el.localName === 'textarea' || (el.localName === 'input' && /^(text|search|email|url|tel|number)$/.test(el.type))) &&
        !masked(el) && !el.disabled && !el.readOnly) {
        // Through the prototype's setter, so frameworks that track value notice.
        proto = el.localName === 'textarea' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
        el.focus({ preventScroll: true });
        Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, m.text);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      } else if (m.k === 'scrollto' && allowed) {
        scrollTo(Number(m.x) || 0, Number(m.y) || 0);
      }
    }

    // --- The visitor's UI (in the widget's shadow root) ----------------------------------
    function make(tag, cls, style) {
      var el = document.createElement(tag);
      el.className = cls;
      el.setAttribute('data-kefu-widget', '');
      for (var k in style) el.style[k] = style[k];
      return el;
    }
    function button(cls, fn) {
      var b = make('button', cls, { font: 'inherit', color: '#111827', background: '#fff', border: '1px solid #fff',
        borderRadius: '4px', padding: '3px 10px', cursor: 'pointer', margin: '0' });
      b.type = 'button';
      b.addEventListener('click', guard(fn));
      return b;
    }
    function label() {
      ctl.textContent = (allowed ? lang.revoke : lang.allow).replace('{a}', agent);
      ctl.style.background = allowed ? 'transparent' : '#fff';
      ctl.style.color = allowed ? '#fff' : '#111827';
    }
    function showBar() {
      bar = make('div', 'kefu-rc-bar', { position: 'fixed', top: '0', left: '0', right: '0', zIndex: '2147483647',
        display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'center', gap: '6px 12px',
        padding: '6px 12px', paddingTop: 'max(6px, env(safe-area-inset-top))', background: '#111827', color: '#fff',
        font: '14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif', boxShadow: '0 1px 4px rgba(0,0,0,.3)' });
      var text = make('span', 'kefu-rc-text', {});
      text.setAttribute('role', 'status');
      text.textContent = lang.view.replace('{a}', agent);
      var stopBtn = button('kefu-rc-stop', function () {
        frame('cobrowseEnd', {});
        handle.stop();
      });
      stopBtn.textContent = lang.stop;
      ctl = button('kefu-rc-control', function () {
        allowed = !allowed;
        frame('cobrowseControl', { allow: allowed });
        label();
      });
      label();
      bar.appendChild(text); bar.appendChild(stopBtn); bar.appendChild(ctl);
      root.appendChild(bar);
    }
    // The ring around what the agent points at, for RING_MS, following scroll.
    function point(el) {
      if (!el || !shown(el)) return;
      if (!ring) {
        ring = make('div', 'kefu-rc-ring', { position: 'fixed', zIndex: '2147483646', pointerEvents: 'none',
          border: '3px solid #f59e0b', borderRadius: '6px', boxShadow: '0 0 0 4px rgba(245,158,11,.35)', boxSizing: 'border-box' });
        root.appendChild(ring);
      }
      ringTarget = el;
      placeRing();
      clearTimeout(ringTimer);
      ringTimer = setTimeout(function () { ringTarget = null; ring.style.display = 'none'; }, RING_MS);
    }
    function placeRing() {
      if (!ringTarget) return;
      var r = ringTarget.getBoundingClientRect();
      ring.style.display = 'block';
      ring.style.left = r.left - 5 + 'px';
      ring.style.top = r.top - 5 + 'px';
      ring.style.width = r.width + 10 + 'px';
      ring.style.height = r.height + 10 + 'px';
    }

    // --- Start, stop, failure ---------------------------------------------------------------
    function stop() {
      if (stopped) return;
      stopped = true;
      if (current === handle) current = null;
      if (mo) mo.disconnect();
      listeners.forEach(function (off) { off(); });
      cancelAnimationFrame(raf);
      [rafTimer, scrollTimer, ptrTimer, viewTimer, ringTimer].forEach(clearTimeout);
      clearInterval(hbTimer);
      [bar, ring].forEach(function (el) { if (el) el.remove(); });
      queue = []; vals.clear(); opens.clear(); scrolls.clear();
    }
    // The capture itself broke: say so (the server stores rcfailure) and stop.
    function fail(err) {
      if (stopped) return;
      var why = Array.from(String((err && err.message) || err || 'error')).slice(0, 200).join('');
      try { frame('cobrowseEnd', { failure: why }); } catch (e) { /* the socket is gone */ }
      stop();
    }

    var handle = { receive: guard(receive), stop: stop };
    current = handle;
    guard(function () {
      showBar();
      snapshot();
      post({ k: 'view', w: innerWidth, h: innerHeight });
      post({ k: 'scroll', id: 0, x: Math.round(scrollX), y: Math.round(scrollY) });
      mo = new MutationObserver(guard(function (recs) {
        for (var i = 0; i < recs.length; i++) queue.push(recs[i]);
        schedule();
      }));
      mo.observe(document, { childList: true, attributes: true, characterData: true, subtree: true });
      on(document, 'input', onValue);
      on(document, 'change', onValue);
      on(document, 'toggle', onToggle);
      on(window, 'scroll', onScroll);
      on(window, 'resize', onResize);
      on(document, 'pointermove', onPointer);
      on(document, 'pointerdown', onPointer);
      on(document, 'focusin', onFocus);
      on(document, 'focusout', onFocus);
      hbTimer = setInterval(guard(function () { checkSheets(); post({ k: 'hb' }); }), HEARTBEAT);
    })();
    return handle;
  }

  // --- Started by the widget: a connection of its own ---------------------------
  // The widget adds this script with data-kefu="conversation\x1fagent\x1flang\x1f
  // site\x1faccepted" when the page is shared (again on each page of the site while
  // it lasts), accepted "1" on the page where the visitor said yes. Only the tab that
  // said yes shares: it is marked in sessionStorage, which a navigation within the
  // site keeps and other tabs do not have. The capture then speaks for this visitor
  // on a connection of its own (the stored visitor token, the same origin): the
  // agent's stream comes in on it, the page's goes out on it, and the
  // conversation's stored lines tell it when the sharing is over. The widget's own
  // socket never carries the stream.
  var OVER = { rcend: 1, rcfailure: 1, refuserc: 1, cancelrc: 1 };
  var MARK = 'kefu:cobrowse';
  var running = null;
  function configOf(el) {
    var v = String(el.getAttribute('data-kefu') || '').split('\x1f');
    return { conversation: v[0], agent: v[1], lang: v[2], site: v[3], accepted: v[4] };
  }
  function store(fn) { try { return fn(sessionStorage); } catch (e) { return null; } }
  function connect(cfg) {
    var cid = cfg && cfg.conversation;
    if (running || !cid) return;
    if (cfg.accepted) store(function (s) { s.setItem(MARK, cid); });
    if (store(function (s) { return s.getItem(MARK); }) !== cid) return; // another tab shares
    var token = null, ws = null, handle = null, done = false, tries = 0;
    try { token = localStorage.getItem('kefu:' + cfg.site + ':token'); } catch (e) { /* blocked */ }
    var url = new URL('/ws', me.src).href.replace(/^http/, 'ws');
    var host = document.querySelector('kefu-widget');
    var self = running = {
      close: function () {
        done = true;
        if (running === self) running = null;
        store(function (s) { s.removeItem(MARK); });
        if (handle) handle.stop();
        if (ws) ws.close();
      }
    };
    function send(text) { if (ws && ws.readyState === 1) ws.send(text); }
    function open() {
      ws = new WebSocket(url);
      ws.onopen = function () {
        tries = 0;
        var hello = { type: 'hello', protocolVersion: 1, site: cfg.site };
        if (token) hello.token = token;
        ws.send(JSON.stringify(hello));
      };
      ws.onmessage = function (e) {
        var f, p;
        try { f = JSON.parse(e.data); } catch (x) { return; }
        if (f.type === 'ready') {
          if (!handle) {
            handle = start({ root: host && host.shadowRoot, exclude: host, send: send,
              conversationId: cid, agent: cfg.agent, lang: cfg.lang, zip: true });
          } else {
            handle.receive('{"k":"resync"}'); // back after a drop: a fresh snapshot
          }
        } else if (f.type === 'cobrowse' && handle) {
          handle.receive(f.data);
        } else if (f.type === 'message' && (p = f.message && f.message.payload) && OVER[p.subMsgType]) {
          self.close();
        }
      };
      ws.onclose = function () {
        if (!done) setTimeout(open, Math.min(8000, 500 * Math.pow(2, tries++)));
      };
    }
    open();
  }

  window.__kefuCobrowse = { start: start, connect: connect };
  if (me) connect(configOf(me));
})();

// Co-browsing's two scripts, without a Kefu server: static/cobrowse/capture.js on a
// host page (served by request interception as https://shop.example) with a `send`
// that only collects frames, and static/cobrowse/replay.js drawing those frames in
// a sandboxed iframe of a second page. Privacy is asserted on the exact bytes sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { openBrowser } from './support/browser.mjs';

const CAPTURE = fileURLToPath(new URL('../../static/cobrowse/capture.js', import.meta.url));
const REPLAY = fileURLToPath(new URL('../../static/cobrowse/replay.js', import.meta.url));
const ORIGIN = 'https://shop.example';
const DOT = '\u2022';
const MAX_FRAME = 32_000;

// Everything that must never leave the visitor's page.
const SECRETS = {
  password: 'PW-SECRET-2',
  typed: 'TYPED-SECRET-3',
  select: 'SELECT-SECRET-4',
  textarea: 'TEXTAREA-SECRET-5',
  editable: 'EDITABLE-SECRET-6',
  masked: 'MASKED-SECRET-7',
  blocked: 'BLOCKED-SECRET-8',
  handler: 'HANDLER-SECRET-9',
  jsurl: 'JSURL-SECRET-10',
  noscript: 'NOSCRIPT-SECRET-11',
  iframe: 'IFRAME-SECRET-12',
  template: 'TEMPLATE-SECRET-13',
  widget: 'WIDGET-SECRET-14',
  hidden: 'HIDDEN-SECRET-15',
  script: 'SCRIPT-SECRET-1',
  option: 'OPTION-VALUE-SECRET-16',
  checkbox: 'CHECKBOX-VALUE-SECRET-17',
};

const CHECKOUT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<base href="${ORIGIN}/sub/">
<link rel="stylesheet" href="site.css">
<link rel="preload" href="font.woff2" as="font">
<style>.hero { background: url(img/bg.png) } h1 { color: rgb(1, 2, 3) }</style>
<script>window.secret = '${SECRETS.script}';</script>
</head>
<body>
<h1 class="hero">Checkout</h1>
<p id="intro">Your basket</p>
<form action="pay">
  <input type="password" id="pw" value="${SECRETS.password}" data-kefu-unmask>
  <input type="text" id="name">
  <input type="text" id="open" data-kefu-unmask value="public">
  <input type="hidden" value="${SECRETS.hidden}">
  <select id="sel"><option>Alpha</option><option selected value="${SECRETS.option}">${SECRETS.select}</option></select>
  <input type="checkbox" id="cb" value="${SECRETS.checkbox}">
  <textarea id="ta">${SECRETS.textarea}</textarea>
  <div contenteditable="true" id="ce">${SECRETS.editable}</div>
  <input type="submit" value="Pay now">
</form>
<p data-kefu-mask id="masked">${SECRETS.masked} card</p>
<div data-kefu-block id="blocked" style="width: 200px; height: 50px"><span>${SECRETS.blocked}</span></div>
<button id="buy" onclick="window.bought = (window.bought || 0) + 1; '${SECRETS.handler}'">Buy</button>
<a id="js" href="javascript:alert('${SECRETS.jsurl}')">js link</a>
<a id="help" href="help.html" style="background-image: url('img/icon.png')">Help</a>
<noscript>${SECRETS.noscript}</noscript>
<iframe id="frame" srcdoc="<p>${SECRETS.iframe}</p>" style="width: 300px; height: 100px"></iframe>
<template><p>${SECRETS.template}</p></template>
<img id="pic" src="img/a.png" srcset="img/a.png 1x, img/a2.png 2x" alt="">
<details id="det"><summary>More</summary><p>Details body</p></details>
<ul id="list"><li>First item</li></ul>
<div id="kefu-host">${SECRETS.widget}</div>
<div style="height: 3000px"></div>
</body></html>`;

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Serve the fake shop (and its resources) from request interception, for every page. */
async function serveShop(context, pages = {}) {
  await context.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path.endsWith('.css')) return route.fulfill({ contentType: 'text/css', body: 'body { margin: 0 }' });
    if (path.endsWith('.png')) return route.fulfill({ contentType: 'image/png', body: PNG });
    if (path.endsWith('.js')) return route.fulfill({ contentType: 'text/javascript', path: CAPTURE });
    const page = pages[path];
    if (page) return route.fulfill({ contentType: 'text/html', headers: page.headers ?? {}, body: page.body });
    return route.fulfill({ status: 204 });
  });
}

/** Load capture.js into `page` and start it with a collecting `send` (frames in window.__frames). */
async function startCapture(page, options = {}) {
  await page.addScriptTag({ path: CAPTURE });
  await page.evaluate((o) => {
    const host = document.getElementById('kefu-host') ?? document.body.appendChild(document.createElement('div'));
    host.id = 'kefu-host';
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    window.__frames = [];
    window.__handle = window.__kefuCobrowse.start({
      root, exclude: host, send: (text) => window.__frames.push(text),
      conversationId: 'c_01', agent: 'Lin', lang: 'en', control: false, ...o,
    });
  }, options);
}

const frames = (page, from = 0) => page.evaluate((f) => window.__frames.slice(f), from);

/** Raw deflate, base64 (`z`), inflated. */
const inflate = (z) => inflateRawSync(Buffer.from(z, 'base64'));

/**
 * The stream messages of `list` (frame texts), checking each frame's envelope and size;
 * a compressed change batch (`z`) gets its `ops` inflated.
 */
function messages(list) {
  return list.map((text) => {
    assert.ok(Buffer.byteLength(text) <= MAX_FRAME, `a frame of ${Buffer.byteLength(text)} bytes`);
    const f = JSON.parse(text);
    assert.equal(f.conversationID, 'c_01');
    const m = f.type === 'cobrowse' ? JSON.parse(f.data) : f;
    if (m.k === 'mut' && typeof m.z === 'string') m.ops = JSON.parse(inflate(m.z).toString('utf8'));
    return m;
  });
}

/** The snapshots in `msgs`, reassembled (compressed parts inflated). */
function snapshots(msgs) {
  const parts = new Map();
  const done = [];
  for (const m of msgs.filter((x) => x.k === 'snap')) {
    if (!parts.has(m.id)) parts.set(m.id, []);
    const list = parts.get(m.id);
    assert.equal(m.i, list.length, 'parts in order');
    list.push(m.z ?? m.part);
    if (list.length < m.of) continue;
    const json = typeof m.z === 'string' ? inflate(list.join('')).toString('utf8') : list.join('');
    done.push(JSON.parse(json));
  }
  return done;
}

/** Every NODE under `node` (itself included). */
function* walk(node) {
  yield node;
  if (node[1] !== '#t') for (const c of node[3]) yield* walk(c);
}
const byAttr = (root, name, value) => [...walk(root)].find((n) => n[1] !== '#t' && n[2][name] === value);
const textIn = (node) => [...walk(node)].filter((n) => n[1] === '#t').map((n) => n[2]).join('');

/** Poll `check` (async, truthy when done) until it holds. */
async function until(check, what, timeout = 10_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Wait for the ops of later mut messages to contain one matching `pred`. */
async function untilOp(page, from, pred, what) {
  return until(async () => {
    const msgs = messages(await frames(page, from));
    return msgs.filter((m) => m.k === 'mut').flatMap((m) => m.ops).find(pred);
  }, what);
}

async function openShop(t, pages = { '/checkout': { body: CHECKOUT } }) {
  const browser = await openBrowser();
  t.after(() => browser.close());
  await serveShop(browser.context, pages);
  await browser.page.goto(`${ORIGIN}${Object.keys(pages)[0]}`);
  return browser;
}

test('nothing private leaves the page, in the snapshot or in the changes after it', async (t) => {
  const { page, errors } = await openShop(t);
  await page.fill('#name', SECRETS.typed);
  await startCapture(page);

  const first = messages(await frames(page));
  assert.deepEqual(first.map((m) => m.n), first.map((_, i) => i + 1), 'n counts 1, 2, 3 …');
  assert.equal(first[0].k, 'snap');
  const [snap] = snapshots(first);
  assert.ok(snap, 'a complete snapshot first');
  assert.deepEqual(first.slice(-2).map((m) => m.k), ['view', 'scroll']);
  assert.equal(snap.url, `${ORIGIN}/checkout`);
  assert.equal(snap.title, 'Checkout');
  assert.deepEqual([typeof snap.vw, typeof snap.vh, snap.sx, snap.sy], ['number', 'number', 0, 0]);
  const root = snap.root;
  assert.equal(root[1], 'html');

  // Field values: masked, same length; a password even when the site unmasks it.
  const value = (id) => byAttr(root, 'id', id)[2].value;
  assert.equal(value('pw'), DOT.repeat(SECRETS.password.length));
  assert.equal(value('name'), DOT.repeat(SECRETS.typed.length));
  assert.equal(value('open'), 'public', '[data-kefu-unmask] is shown');
  assert.equal(value('ta'), DOT.repeat(SECRETS.textarea.length));
  assert.equal(textIn(byAttr(root, 'id', 'ta')), DOT.repeat(SECRETS.textarea.length));
  assert.equal(value('sel'), DOT.repeat(SECRETS.select.length));
  assert.deepEqual([...walk(byAttr(root, 'id', 'sel'))].filter((n) => n[1] === 'option').map(textIn),
    [DOT.repeat(5), DOT.repeat(SECRETS.select.length)]);
  assert.equal(textIn(byAttr(root, 'id', 'ce')), DOT.repeat(SECRETS.editable.length));
  assert.equal(byAttr(root, 'type', 'submit')[2].value, 'Pay now', 'a submit button keeps its label');
  assert.equal(value('cb'), DOT.repeat(SECRETS.checkbox.length), 'a value attribute');
  // [data-kefu-mask]: text dotted, spaces kept; [data-kefu-block]: a grey box of its size.
  assert.equal(textIn(byAttr(root, 'id', 'masked')), `${DOT.repeat(SECRETS.masked.length)} ${DOT.repeat(4)}`);
  const blocked = [...walk(root)].find((n) => n[1] !== '#t' && 'data-kefu-blocked' in n[2]);
  assert.deepEqual(blocked[3], []);
  assert.equal(blocked[2].id, undefined, 'no attribute of the blocked element');
  assert.match(blocked[2].style, /width:200px;height:50px;background:/);
  // Frames: the box only.
  const frame = [...walk(root)].find((n) => n[1] === 'iframe');
  assert.deepEqual([frame[2].srcdoc, frame[2].src, frame[3]], [undefined, undefined, []]);
  assert.match(frame[2].style, /box-sizing:border-box;width:304px;height:104px/, 'its border box');
  // Dropped: scripts, noscript, template, base, non-stylesheet links, the widget.
  const tags = new Set([...walk(root)].map((n) => n[1]));
  for (const tag of ['script', 'noscript', 'template', 'base']) assert.ok(!tags.has(tag), `no <${tag}>`);
  assert.equal(byAttr(root, 'id', 'kefu-host'), undefined, 'the widget is not captured');
  assert.equal(byAttr(root, 'rel', 'preload'), undefined);
  assert.equal(byAttr(root, 'id', 'buy')[2].onclick, undefined);
  assert.deepEqual(byAttr(root, 'id', 'js')[2], { id: 'js' }, 'the javascript: href is dropped');
  // URLs made absolute against the base URL, in attributes and in CSS.
  assert.equal(byAttr(root, 'rel', 'stylesheet')[2].href, `${ORIGIN}/sub/site.css`);
  assert.equal(byAttr(root, 'id', 'pic')[2].src, `${ORIGIN}/sub/img/a.png`);
  assert.equal(byAttr(root, 'id', 'pic')[2].srcset, `${ORIGIN}/sub/img/a.png 1x, ${ORIGIN}/sub/img/a2.png 2x`);
  assert.equal(byAttr(root, 'id', 'help')[2].href, `${ORIGIN}/sub/help.html`);
  assert.match(byAttr(root, 'id', 'help')[2].style, /url\('https:\/\/shop\.example\/sub\/img\/icon\.png'\)/);
  assert.match(textIn([...walk(root)].find((n) => n[1] === 'style')), /url\(https:\/\/shop\.example\/sub\/img\/bg\.png\)/);
  assert.equal(byAttr(root, 'action', `${ORIGIN}/sub/pay`)[1], 'form');

  // Changes: typing, a new script, a handler, a javascript: URL, a blocked element's inside.
  let from = (await frames(page)).length;
  const nameId = byAttr(root, 'id', 'name')[0];
  await page.fill('#name', 'MORE-TYPED-SECRET');
  const val = await untilOp(page, from, (op) => op[0] === 'val' && op[1] === nameId, 'the typed value');
  assert.deepEqual(val, ['val', nameId, DOT.repeat('MORE-TYPED-SECRET'.length)]);
  await page.click('#ce');
  await page.keyboard.type('KEYED');
  const ceText = byAttr(root, 'id', 'ce')[3][0][0];
  await untilOp(page, from, (op) => op[0] === 'text' && op[1] === ceText && op[2].length > SECRETS.editable.length, 'the edited text');
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = "window.late = 'LATE-SCRIPT-SECRET'";
    document.body.appendChild(s);
    document.getElementById('help').setAttribute('onmouseover', "'LATE-HANDLER-SECRET'");
    document.getElementById('help').setAttribute('href', "javascript:'LATE-JSURL-SECRET'");
    document.querySelector('#blocked span').textContent = 'LATE-BLOCKED-SECRET';
    document.getElementById('kefu-host').append(' LATE-WIDGET-SECRET');
    const li = document.createElement('li');
    li.setAttribute('onclick', "'LATE-LI-HANDLER-SECRET'");
    li.textContent = 'Second item';
    document.getElementById('list').appendChild(li);
  });
  const helpId = byAttr(root, 'id', 'help')[0];
  await untilOp(page, from, (op) => op[0] === 'attr' && op[1] === helpId && op[2] === 'href', 'the href change');
  const add = await untilOp(page, from, (op) => op[0] === 'add' && textIn(op[3]) === 'Second item', 'the new item');
  assert.deepEqual(add[3][2], {}, 'the new item without its handler');

  const all = (await frames(page)).join('');
  for (const [what, secret] of Object.entries(SECRETS)) assert.ok(!all.includes(secret), `${what} not sent`);
  for (const secret of ['MORE-TYPED', 'KEYED', 'LATE-', 'javascript:', 'onclick', 'onmouseover', 'alert(']) {
    assert.ok(!all.includes(secret), `${secret} not sent`);
  }
  const later = messages(await frames(page, from));
  assert.deepEqual(later.map((m) => m.n), later.map((_, i) => from + i + 1), 'n goes on');
  assert.ok(later.every((m) => m.k !== 'mut' || m.ops.length > 0));
  assert.deepEqual(errors, []);
});

test('the bar, the second consent, pointing and the agent acting', async (t) => {
  const { page, errors } = await openShop(t);
  await startCapture(page, { lang: 'zh-CN' });
  const shadow = (sel) => page.locator(`#kefu-host ${sel}`);
  assert.equal(await shadow('.kefu-rc-bar [role="status"]').textContent(), 'Lin \u6b63\u5728\u67e5\u770b\u6b64\u9875\u9762');
  assert.equal(await shadow('button.kefu-rc-stop').textContent(), '\u505c\u6b62');
  assert.equal(await shadow('button.kefu-rc-control').textContent(), '\u5141\u8bb8 Lin \u70b9\u51fb\u548c\u8f93\u5165');
  assert.equal(await shadow('button.kefu-rc-control').getAttribute('type'), 'button');
  const bar = await shadow('.kefu-rc-bar').boundingBox();
  assert.equal(bar.y, 0, 'the bar is at the top');
  await page.evaluate(() => scrollTo(0, 500));
  assert.equal((await shadow('.kefu-rc-bar').boundingBox()).y, 0, 'and stays there when the page scrolls');
  await page.evaluate(() => scrollTo(0, 0));

  const [snap] = snapshots(messages(await frames(page)));
  const id = (sel) => byAttr(snap.root, 'id', sel)[0];
  const receive = (m) => page.evaluate((d) => window.__handle.receive(d), JSON.stringify(m));

  // Pointing: a ring around the element, in the widget's shadow root, for a while.
  await receive({ k: 'point', id: id('buy') });
  const ring = await shadow('.kefu-rc-ring').boundingBox();
  const buy = await page.locator('#buy').boundingBox();
  assert.ok(ring.x < buy.x && ring.y < buy.y && ring.x + ring.width > buy.x + buy.width, 'the ring surrounds the button');
  await page.evaluate(() => scrollTo(0, 100));
  await until(async () => Math.abs((await shadow('.kefu-rc-ring').boundingBox()).y - (ring.y - 100)) < 1, 'the ring following the scroll');
  await page.evaluate(() => scrollTo(0, 0));
  await shadow('.kefu-rc-ring').waitFor({ state: 'hidden', timeout: 6000 });

  // Without the second consent the agent can do nothing.
  await receive({ k: 'click', id: id('buy') });
  await receive({ k: 'type', id: id('open'), text: 'agent typed' });
  await receive({ k: 'scrollto', x: 0, y: 400 });
  assert.deepEqual(await page.evaluate(() => [window.bought, document.getElementById('open').value, scrollY]), [undefined, 'public', 0]);

  // The visitor allows it.
  let from = (await frames(page)).length;
  await shadow('button.kefu-rc-control').click();
  assert.deepEqual(messages(await frames(page, from)).filter((m) => m.type), [{ type: 'cobrowseControl', conversationID: 'c_01', allow: true }]);
  assert.equal(await shadow('button.kefu-rc-control').textContent(), '\u6536\u56de\u63a7\u5236');
  await receive({ k: 'click', id: id('buy') });
  await receive({ k: 'type', id: id('open'), text: 'agent typed' });
  await receive({ k: 'type', id: id('name'), text: 'into a masked field' });
  await receive({ k: 'type', id: id('pw'), text: 'into a password' });
  await receive({ k: 'click', id: id('frame') });
  await receive({ k: 'scrollto', x: 0, y: 400 });
  assert.deepEqual(await page.evaluate(() => [window.bought, document.getElementById('open').value,
    document.getElementById('name').value, document.getElementById('pw').value, scrollY]),
  [1, 'agent typed', '', SECRETS.password, 400]);
  // Its typing shows up (the field is unmasked), its click moved the focus.
  await untilOp(page, from, (op) => op[0] === 'val' && op[1] === id('open') && op[2] === 'agent typed', 'the typed value');
  await until(async () => messages(await frames(page, from)).some((m) => m.k === 'focus' && m.id === id('buy')), 'focus');

  // Taking it back.
  from = (await frames(page)).length;
  await shadow('button.kefu-rc-control').click();
  assert.deepEqual(messages(await frames(page, from)).filter((m) => m.type), [{ type: 'cobrowseControl', conversationID: 'c_01', allow: false }]);
  await receive({ k: 'click', id: id('buy') });
  assert.equal(await page.evaluate(() => window.bought), 1);

  // A heartbeat every 4 s keeps the server from ending it.
  await until(async () => messages(await frames(page)).some((m) => m.k === 'hb'), 'a heartbeat', 8000);

  // Stop: cobrowseEnd, then everything it added is gone and nothing more is sent.
  from = (await frames(page)).length;
  await shadow('button.kefu-rc-stop').click();
  assert.deepEqual(messages(await frames(page, from)).filter((m) => m.type), [{ type: 'cobrowseEnd', conversationID: 'c_01' }]);
  assert.equal(await page.locator('#kefu-host .kefu-rc-bar, #kefu-host .kefu-rc-ring').count(), 0);
  const count = (await frames(page)).length;
  await page.evaluate(() => new Promise((done) => {
    document.body.append('after stop');
    scrollTo(0, 100);
    setTimeout(done, 300); // longer than one batch (100 ms) and a scroll throttle
  }));
  assert.equal((await frames(page)).length, count, 'nothing after stop');
  assert.deepEqual(errors, []);
});

test('a capture that fails says so and stops', async (t) => {
  const { page } = await openShop(t);
  await startCapture(page);
  const from = (await frames(page)).length;
  // A resync during which serialising the page throws.
  await page.evaluate(() => {
    Object.defineProperty(document, 'title', { get() { throw new Error('title unavailable'); } });
    window.__handle.receive('{"k":"resync"}');
  });
  const sent = messages(await frames(page, from));
  assert.deepEqual(sent.filter((m) => m.type), [{ type: 'cobrowseEnd', conversationID: 'c_01', failure: 'title unavailable' }]);
  assert.equal(await page.locator('#kefu-host .kefu-rc-bar').count(), 0);
});

test('large pages and large changes are chunked below the frame limit', async (t) => {
  const { page } = await openShop(t);
  await page.evaluate(() => {
    // Quotes, backslashes, control characters, CJK and emoji: the worst for escaping.
    const text = '"\\\u0001\u4e2d\u{1F600}'.repeat(400);
    for (let i = 0; i < 20; i++) document.body.appendChild(document.createElement('p')).textContent = text + i;
  });
  await startCapture(page);
  const msgs = messages(await frames(page));
  const parts = msgs.filter((m) => m.k === 'snap');
  assert.ok(parts.length > 10, `${parts.length} parts`);
  const [snap] = snapshots(msgs);
  assert.ok(textIn(snap.root).includes('"\\\u0001\u4e2d\u{1F600}"'), 'text survives chunking');

  // A change bigger than a frame: sent anyway (split, or as a new snapshot).
  const from = (await frames(page)).length;
  await page.evaluate(() => {
    const big = document.createElement('div');
    big.id = 'big';
    big.textContent = '\u{1F600}"'.repeat(20_000);
    document.body.appendChild(big);
  });
  await until(async () => {
    const later = messages(await frames(page, from));
    return snapshots(later).some((s) => byAttr(s.root, 'id', 'big')) ||
      later.some((m) => m.k === 'mut' && m.ops.some((op) => op[0] === 'add' && op[3][2].id === 'big'));
  }, 'the big change');
});

test('compressed: the same stream in fewer, smaller frames, drawn the same', async (t) => {
  const { context, page, errors } = await openShop(t);
  await page.fill('#name', SECRETS.typed);
  await page.evaluate(() => {
    // Text that escapes badly, in a page far larger than one frame.
    const text = '"\\\u0001\u4e2d\u{1F600} a line of the catalogue '.repeat(60);
    for (let i = 0; i < 200; i++) document.body.appendChild(document.createElement('p')).textContent = text + i;
  });
  await startCapture(page);
  const plainFrames = await frames(page);
  const plain = messages(plainFrames);
  await page.evaluate(() => window.__handle.stop());

  // The same page again, compressed (as the widget starts it).
  await startCapture(page, { zip: true });
  const zipped = await until(async () => {
    const list = await frames(page);
    const msgs = messages(list);
    return msgs.some((m) => m.k === 'scroll') && { list, msgs };
  }, 'the compressed snapshot');
  const bytes = (list) => list.reduce((sum, x) => sum + Buffer.byteLength(x), 0);
  const zparts = zipped.msgs.filter((m) => m.k === 'snap');
  assert.ok(zparts.every((m) => typeof m.z === 'string' && m.part === undefined), 'parts carry z');
  assert.deepEqual(zipped.msgs.map((m) => m.n), zipped.msgs.map((_, i) => i + 1), 'n counts in order');
  assert.deepEqual(snapshots(zipped.msgs), snapshots(plain), 'inflated, the same snapshot');
  assert.ok(zparts.length * 5 < plain.filter((m) => m.k === 'snap').length,
    `${zparts.length} compressed parts against ${plain.filter((m) => m.k === 'snap').length}`);
  assert.ok(bytes(zipped.list) * 5 < bytes(plainFrames), `${bytes(zipped.list)} B against ${bytes(plainFrames)} B`);
  for (const secret of Object.values(SECRETS)) {
    assert.ok(!JSON.stringify(snapshots(zipped.msgs)).includes(secret), `${secret} inflated`);
  }

  // A large change batch goes compressed too; a small one does not.
  let from = zipped.list.length;
  await page.evaluate(() => {
    const big = document.body.appendChild(document.createElement('section'));
    big.id = 'big';
    big.textContent = 'new arrivals, '.repeat(400);
  });
  await untilOp(page, from, (op) => op[0] === 'add' && op[3][2].id === 'big', 'the big change');
  const raw = (await frames(page, from)).map((x) => JSON.parse(JSON.parse(x).data)).filter((m) => m.k === 'mut');
  assert.ok(raw.some((m) => typeof m.z === 'string' && !m.ops), 'a compressed batch');
  from = (await frames(page)).length;
  await page.fill('#pw', 'x');
  await untilOp(page, from, (op) => op[0] === 'val', 'the masked value');
  const small = (await frames(page, from)).map((x) => JSON.parse(JSON.parse(x).data)).filter((m) => m.k === 'mut');
  assert.ok(small.every((m) => Array.isArray(m.ops) && m.z === undefined), 'a small batch as it is');

  // The viewer draws the compressed stream, changes after the snapshot included.
  const viewer = await openViewer(context, page);
  await viewer.until((doc) => doc.querySelector('h1')?.textContent === 'Checkout' &&
    doc.getElementById('big')?.textContent.startsWith('new arrivals') &&
    doc.querySelectorAll('p').length >= 200, 'the compressed page drawn');
  assert.equal(await viewer.page.evaluate(() => window.__gaps), 0);
  assert.deepEqual(errors, []);
});

test('capture under a strict Content-Security-Policy adds no violation', async (t) => {
  const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'";
  const { page, errors } = await openShop(t, {
    '/strict': { headers: { 'content-security-policy': csp },
      body: '<!doctype html><html><head><title>Strict</title><link rel="stylesheet" href="/a.css"></head><body><h1>Strict</h1><div id="kefu-host"></div></body></html>' },
  });
  await page.addScriptTag({ url: `${ORIGIN}/capture.js` });
  await page.evaluate(() => {
    const host = document.getElementById('kefu-host');
    window.__frames = [];
    window.__handle = window.__kefuCobrowse.start({ root: host.attachShadow({ mode: 'open' }), exclude: host,
      send: (x) => window.__frames.push(x), conversationId: 'c_01', agent: 'Lin', lang: 'en' });
    window.__handle.receive('{"k":"point","id":3}');
  });
  await page.locator('#kefu-host .kefu-rc-bar').waitFor();
  assert.equal(await page.locator('#kefu-host .kefu-rc-text').textContent(), 'Lin is viewing this page');
  assert.equal(await page.locator('#kefu-host .kefu-rc-bar').evaluate((el) => getComputedStyle(el).position), 'fixed');
  assert.deepEqual(errors, []);
});

const VIEWER = `<!doctype html><html><head><title>Console</title></head><body style="margin: 0">
<div id="view" style="width: 640px"><iframe sandbox="allow-same-origin" title="Visitor's page"></iframe></div>
</body></html>`;

/** A second page of the same browser that draws what the capture page sends. */
async function openViewer(context, capturePage) {
  const viewer = await context.newPage();
  await viewer.setContent(VIEWER);
  await viewer.addScriptTag({ path: REPLAY });
  await viewer.evaluate(() => {
    window.__drawn = 0;
    window.__gaps = 0;
    window.__viewer = window.__kefuReplay.mount({
      iframe: document.querySelector('iframe'),
      onDrawn: () => window.__drawn++,
      onGap: () => window.__gaps++,
      pointerLabel: 'Visitor',
    });
  });
  let sent = 0;
  return {
    page: viewer,
    lastN: 0,
    /** Hand every frame sent since the last pump to the viewer (but those `skip` says). */
    async pump(skip = () => false) {
      const list = await frames(capturePage, sent);
      sent += list.length;
      const data = list.map((x) => JSON.parse(x)).filter((f) => f.type === 'cobrowse' && !skip(JSON.parse(f.data))).map((f) => f.data);
      for (const d of data) this.lastN = JSON.parse(d).n;
      await viewer.evaluate((d) => d.forEach((x) => window.__viewer.receive(x)), data);
    },
    /** Pump until `check` (run in the viewer page, given the iframe's document) holds. */
    async until(check, what, arg) {
      return until(async () => {
        await this.pump();
        return viewer.evaluate(({ src, arg }) => {
          const doc = document.querySelector('iframe').contentDocument;
          return (0, eval)(src)(doc, arg);
        }, { src: check.toString(), arg });
      }, what);
    },
  };
}

test('capture to replay: the page, its changes, scroll, pointer and focus', async (t) => {
  const { context, page, errors } = await openShop(t);
  await page.setViewportSize({ width: 1000, height: 700 });
  await startCapture(page);
  const viewer = await openViewer(context, page);
  await viewer.until((doc) => doc.querySelector('h1')?.textContent === 'Checkout', 'the snapshot drawn');
  const v = viewer.page;
  assert.equal(await v.evaluate(() => window.__drawn), 1);
  const shown = await v.evaluate(() => {
    const doc = document.querySelector('iframe').contentDocument;
    return {
      intro: doc.getElementById('intro').textContent,
      items: [...doc.querySelectorAll('#list li')].map((li) => li.textContent),
      name: doc.getElementById('name').value,
      pw: doc.getElementById('pw').value,
      ta: doc.getElementById('ta').value,
      open: doc.getElementById('open').value,
      blocked: !!doc.querySelector('[data-kefu-blocked]'),
      h1: getComputedStyle(doc.querySelector('h1')).color,
      frame: document.querySelector('iframe').style.transform,
      height: document.getElementById('view').style.height,
    };
  });
  assert.deepEqual(shown, {
    intro: 'Your basket', items: ['First item'], name: '', pw: DOT.repeat(SECRETS.password.length),
    ta: DOT.repeat(SECRETS.textarea.length), open: 'public', blocked: true, h1: 'rgb(1, 2, 3)',
    frame: 'scale(0.64)', height: '448px',
  });

  // Later changes: a new node, a changed text, a <details> opened, typing.
  await page.evaluate(() => {
    const li = document.createElement('li');
    li.textContent = 'New item';
    document.getElementById('list').prepend(li);
    document.getElementById('intro').firstChild.data = 'Your basket (2)';
  });
  const from = (await frames(page)).length;
  await page.click('#det summary');
  await untilOp(page, from, (op) => op[0] === 'open' && op[2] === true, 'the open op');
  await page.fill('#open', 'typed here');
  await viewer.until((doc) => doc.getElementById('det').open &&
    doc.getElementById('intro').textContent === 'Your basket (2)' &&
    [...doc.querySelectorAll('#list li')].map((li) => li.textContent).join() === 'New item,First item' &&
    doc.getElementById('open').value === 'typed here', 'the changes drawn');

  // The visitor's window resized: the view follows.
  await page.setViewportSize({ width: 800, height: 600 });
  await viewer.until(() => document.querySelector('iframe').style.transform === 'scale(0.8)' &&
    document.getElementById('view').style.height === '480px' && document.querySelector('iframe').style.width === '800px', 'the new size');
  await page.setViewportSize({ width: 1000, height: 700 });
  await viewer.until(() => document.querySelector('iframe').style.transform === 'scale(0.64)', 'the size back');

  // Scroll, pointer, focus.
  await page.evaluate(() => scrollTo(0, 600));
  await viewer.until((doc) => doc.defaultView.scrollY === 600, 'the scroll');
  await page.mouse.move(100, 50);
  await viewer.until(() => {
    const dot = document.querySelector('.kefu-replay-pointer');
    return dot.style.display === 'block' && dot.style.transform === 'translate(64px, 32px)';
  }, 'the pointer');
  await page.focus('#open');
  await viewer.until((doc) => doc.getElementById('open').style.outline.includes('solid'), 'the focus outline');

  // nodeIdAt: the agent's click on the view names the visitor's element; pointing at it
  // draws the ring around the real one.
  await page.evaluate(() => scrollTo(0, 0));
  await viewer.until((doc) => doc.defaultView.scrollY === 0, 'scrolled back');
  const at = await v.evaluate(() => {
    const doc = document.querySelector('iframe').contentDocument;
    const r = doc.getElementById('buy').getBoundingClientRect();
    return window.__viewer.nodeIdAt((r.x + r.width / 2) * 0.64, (r.y + r.height / 2) * 0.64);
  });
  const [snap] = snapshots(messages(await frames(page)));
  assert.equal(at, byAttr(snap.root, 'id', 'buy')[0]);
  await page.evaluate((id) => window.__handle.receive(JSON.stringify({ k: 'point', id })), at);
  await page.locator('#kefu-host .kefu-rc-ring').waitFor();

  // Nothing of the visitor's page can run in the view, even if a stream (not this
  // capture) sent it.
  await page.evaluate(() => window.__handle.stop());
  await viewer.pump();
  const bodyId = byAttr(snap.root, 'id', 'list')[0];
  const hostile = [
    [900001, 'script', {}, [[900002, '#t', 'window.parent.__pwned = 1']]],
    [900003, 'svg:svg', { onload: 'window.parent.__pwned = 2' }, [[900004, 'svg:script', {}, []]]],
    [900005, 'a', { href: ' java\tscript:window.parent.__pwned = 3', onclick: 'x', id: 'hostile-a' }, []],
    [900006, 'img', { src: 'https://shop.example/x.png', onerror: 'window.parent.__pwned = 4', autofocus: '' }, []],
    [900007, 'iframe', { srcdoc: '<script>parent.parent.__pwned = 5</script>', src: 'https://shop.example/frame' }, []],
    [900008, 'meta', { 'http-equiv': 'refresh', content: '0;url=https://shop.example/' }, []],
    [900009, 'base', { href: 'https://evil.example/' }, []],
  ];
  await v.evaluate(({ ops }) => window.__viewer.receive(JSON.stringify({ k: 'mut', n: ops.n, ops: ops.list })),
    { ops: { n: viewer.lastN + 1, list: hostile.map((node) => ['add', bodyId, null, node]) } });
  assert.equal(await v.evaluate(() => document.querySelector('iframe').contentDocument.querySelector('#hostile-a')?.outerHTML),
    '<a id="hostile-a"></a>');
  const unsafe = await v.evaluate(() => {
    const doc = document.querySelector('iframe').contentDocument;
    const all = [...doc.querySelectorAll('*')];
    return {
      scripts: doc.querySelectorAll('script').length,
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      jsUrls: all.flatMap((el) => [...el.attributes].filter((a) => /javascript:/i.test(a.value)).map((a) => a.name)),
      base: doc.querySelectorAll('base').length,
      meta: doc.querySelectorAll('meta[http-equiv]').length,
      srcdoc: doc.querySelectorAll('[srcdoc], iframe[src], [autofocus]').length,
      pwned: window.__pwned ?? null,
    };
  });
  assert.deepEqual(unsafe, { scripts: 0, handlers: [], jsUrls: [], base: 0, meta: 0, srcdoc: 0, pwned: null });
  assert.equal(await v.evaluate(() => window.__gaps), 0);
  assert.deepEqual(errors, []);
});

test('replay: a lost message calls onGap, changes wait for the next snapshot', async (t) => {
  const { context, page } = await openShop(t);
  await startCapture(page);
  const viewer = await openViewer(context, page);
  await viewer.until((doc) => doc.querySelector('h1')?.textContent === 'Checkout', 'the snapshot drawn');
  const v = viewer.page;
  assert.equal(await v.evaluate(() => window.__gaps), 0);

  // One batch lost on the way, then another change.
  await page.evaluate(() => { document.querySelector('h1').textContent = 'Lost'; });
  await until(async () => messages(await frames(page)).some((m) => m.k === 'mut'), 'the first batch');
  await viewer.pump((m) => m.k === 'mut');
  await page.evaluate(() => { document.getElementById('intro').textContent = 'After the gap'; });
  await until(async () => {
    await viewer.pump();
    return (await v.evaluate(() => window.__gaps)) === 1;
  }, 'onGap');
  assert.equal(await v.evaluate(() => document.querySelector('iframe').contentDocument.getElementById('intro').textContent),
    'Your basket', 'changes after a gap are ignored');

  // The console asks for a resync: the new snapshot shows the page as it is.
  await page.evaluate(() => window.__handle.receive('{"k":"resync"}'));
  await viewer.until((doc) => doc.querySelector('h1').textContent === 'Lost' &&
    doc.getElementById('intro').textContent === 'After the gap', 'the new snapshot drawn');
  assert.equal(await v.evaluate(() => window.__drawn), 1, 'onDrawn only once');
  assert.equal(await v.evaluate(() => window.__gaps), 1);

  // A change to a node the viewer does not know is a gap too.
  await page.evaluate(() => window.__handle.stop()); // no more messages from the page
  await viewer.pump();
  const n = viewer.lastN + 1;
  await v.evaluate((n) => window.__viewer.receive(JSON.stringify({ k: 'mut', n, ops: [['text', 99999, 'x']] })), n);
  assert.equal(await v.evaluate(() => window.__gaps), 2);
});

// `cargo xtask bench`: co-browsing (remote assistance) on the loopback interface.
// Two Debian Chromiums against the real server: a visitor on the demo page asks for
// a human, the signed-in agent accepts the chat, asks to see the page, the visitor
// accepts. Measured:
// - the demo page's snapshot: frame bytes, parts, the capture's time from its
//   connection's `ready` to the first part and from the first part to the last,
//   and the accept click → the page drawn in the agent's view;
// - a page of 5,000 elements: the visitor goes (same tab, sharing resumes) to a
//   generated page with 1,000 rows of 5 elements; its snapshot the same way, and
//   navigation start → drawn; also 5,000 elements added to the demo page in one
//   mutation (what the capture sends for it, and the time until the view has them);
// - the latency of one DOM change from the visitor's page to the agent's view, 50
//   times, ~100 ms apart (the visitor's clock right before the change, the
//   console's when a MutationObserver on the view's document sees it: two browsers
//   on one machine, times are performance.timeOrigin + performance.now());
// - the server's CPU time (/proc/<pid>/stat utime + stime) idle, over a stream of
//   small changes and over one of ~20 KB changes, per frame and per MB relayed.
// Frames are counted where they leave the visitor's page (a hook on the WebSocket's
// send) and where they reach the console (a message listener). The server serves a
// temporary assets dir: this checkout's dist/ and static/ (symlinked) plus the
// generated page. Prints one JSON line for xtask (xtask/src/bench/cobrowse.rs).
// A benchmark, not a test: nothing is judged, but anything that does not happen
// fails the run loudly. `KEFU_BENCH_ONLY=cobrowse cargo xtask bench` runs it alone.
// Knobs (environment): KEFU_BENCH_CHANGES (50: latency samples),
// KEFU_BENCH_SMALL (600: small changes, one per 20 ms), KEFU_BENCH_LARGE (200:
// 20,000-character changes, one per 50 ms).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, freePort, tempDataDir, cleanup, admin, DEMO_PASSWORD } from '../support/server.mjs';
import { openBrowser } from '../support/browser.mjs';
import { signIn } from '../support/console.mjs';

const CHANGES = Number(process.env.KEFU_BENCH_CHANGES ?? 50);
const SMALL = Number(process.env.KEFU_BENCH_SMALL ?? 600);
const LARGE = Number(process.env.KEFU_BENCH_LARGE ?? 200);
const ROWS = 1_000; // × 5 elements
const IDLE_MS = 5_000;

const fail = (msg) => { throw new Error(`cobrowse: ${msg}`); };
const log = (msg) => process.stderr.write(`cobrowse: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The rows of the 5,000-element page (and of the one-mutation insertion).
const rowsHtml = (prefix) => Array.from({ length: ROWS }, (_, i) =>
  `<div class="row"><span>${prefix} item ${i + 1}</span><b>$${(i % 97) + 3}.00</b><i>in stock: ${i % 13}</i><a href="#r${i}">details</a></div>`,
).join('\n');

/** A temporary assets dir: the checkout's dist/ and static/ entries, and the generated page. */
function assetsDir() {
  const repo = resolve(process.env.KEFU_ASSETS_DIR);
  const dir = mkdtempSync(join(tmpdir(), 'kefu-bench-assets-'));
  symlinkSync(join(repo, 'dist'), join(dir, 'dist'));
  mkdirSync(join(dir, 'static'));
  for (const name of readdirSync(join(repo, 'static'))) symlinkSync(join(repo, 'static', name), join(dir, 'static', name));
  writeFileSync(join(dir, 'static', 'bench-5000.html'), `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>5,000 elements — Northwind Audio</title>
  <link rel="icon" href="/img/logo.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/demo.css">
  <script async src="/widget-loader.js" data-site="demo"></script>
</head>
<body>
  <main id="main" class="wrap">
    <h1>Five thousand elements</h1>
    <div id="rows">
${rowsHtml('Page')}
    </div>
  </main>
</body>
</html>
`);
  return dir;
}

// Visitor's pages, before anything else: every `cobrowse` frame sent (time and
// text, read later), when its socket got `ready` (a listener added at construction
// runs before the capture's own onmessage, which sends the snapshot), and the
// stream's error frames.
const VISITOR_HOOKS = () => {
  const B = window.__cb = { sent: [], errors: {} };
  const now = () => performance.timeOrigin + performance.now();
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    if (typeof data === 'string' && data.startsWith('{"type":"cobrowse",')) B.sent.push([now(), data, this.__ready]);
    return send.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        if (e.data.startsWith('{"type":"ready"')) this.__ready = now();
        else if (e.data.startsWith('{"type":"error"')) {
          const code = e.data.match(/"code":"([^"]+)"/)?.[1] ?? '?';
          B.errors[code] = (B.errors[code] ?? 0) + 1;
        }
      });
    }
  };
};

// The console's page: `cobrowse` frames received (count and bytes).
const CONSOLE_HOOKS = () => {
  const R = window.__cbr = { frames: 0, bytes: 0 };
  const enc = new TextEncoder();
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.startsWith('{"type":"cobrowse",')) {
          R.frames += 1;
          R.bytes += enc.encode(e.data).length;
        }
      });
    }
  };
};

// In the visitor's page: the frames sent since `from` (an index), summarised, and
// the list emptied up to there when `drop`.
const SENT = ({ from = 0 } = {}) => {
  const enc = new TextEncoder();
  const head = /^\{"type":"cobrowse","conversationID":"[^"]*","data":"\{\\"k\\":\\"(\w+)\\",\\"n\\":(\d+)(?:,\\"id\\":(\d+),\\"i\\":(\d+),\\"of\\":(\d+))?/;
  return window.__cb.sent.slice(from).map(([at, text, ready]) => {
    const m = text.slice(0, 300).match(head) ?? [];
    return { at, bytes: enc.encode(text).length, k: m[1] ?? '?', n: Number(m[2]), id: m[3] && Number(m[3]),
      i: m[4] && Number(m[4]), of: m[5] && Number(m[5]), ready };
  });
};

// In the console's page: resolves with the time (timeOrigin + now) at which the
// view's document first satisfies `what`; a MutationObserver on that document,
// and a 4 ms poll for the frame itself appearing or being replaced.
const VIEW_WAIT = ({ what, timeoutMs }) => new Promise((resolve, reject) => {
  const now = () => performance.timeOrigin + performance.now();
  const test = (d) => {
    const h1 = d.querySelector('h1')?.textContent ?? '';
    if (what.h1 !== undefined && !h1.includes(what.h1)) return false;
    if (what.rows !== undefined && d.querySelectorAll('.row').length < what.rows) return false;
    return true;
  };
  let doc = null;
  let mo = null;
  const finish = () => { clearInterval(poll); clearTimeout(timer); if (mo) mo.disconnect(); };
  const check = () => {
    const d = document.querySelector('iframe.kc-cobrowse-frame')?.contentDocument;
    if (!d) return;
    if (d !== doc) {
      if (mo) mo.disconnect();
      doc = d;
      mo = new MutationObserver(check);
      mo.observe(d, { childList: true, subtree: true, characterData: true });
    }
    if (test(d)) { const at = now(); finish(); resolve(at); }
  };
  const poll = setInterval(check, 4);
  const timer = setTimeout(() => { finish(); reject(new Error(`not in the view within ${timeoutMs} ms: ${JSON.stringify(what)}`)); }, timeoutMs);
  check();
});

// In the console's page: a MutationObserver on the view's document noting when
// each text of `#bench-lat` first shows (window.__seen: text → time).
const WATCH_MARKERS = () => {
  const seen = window.__seen = {};
  const now = () => performance.timeOrigin + performance.now();
  let doc = null;
  let mo = null;
  const check = () => {
    const t = doc?.getElementById('bench-lat')?.textContent;
    if (t && !(t in seen)) seen[t] = now();
  };
  window.__seenPoll = setInterval(() => {
    const d = document.querySelector('iframe.kc-cobrowse-frame')?.contentDocument;
    if (d && d !== doc) {
      if (mo) mo.disconnect();
      doc = d;
      mo = new MutationObserver(check);
      mo.observe(d, { childList: true, subtree: true, characterData: true });
    }
  }, 50);
  doc = document.querySelector('iframe.kc-cobrowse-frame').contentDocument;
  mo = new MutationObserver(check);
  mo.observe(doc, { childList: true, subtree: true, characterData: true });
};

// In the visitor's page: `count` changes of `#bench-lat`'s text, `gapMs` apart;
// the time right before each (marker → time).
const CHANGE_TEXT = async ({ count, gapMs, prefix, size = 0 }) => {
  const el = document.getElementById(size ? 'bench-big' : 'bench-lat');
  const pad = size ? 'x'.repeat(size) : '';
  const at = {};
  for (let i = 0; i < count; i++) {
    const text = `${prefix}-${i}${pad}`;
    const t = performance.timeOrigin + performance.now();
    el.textContent = text;
    at[text.slice(0, 40)] = t;
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return at;
};

const DOM_SIZE = () => {
  let nodes = 0;
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_ALL);
  for (let n = walker.currentNode; n; n = walker.nextNode()) nodes++;
  return { elements: document.querySelectorAll('*').length, nodes };
};

/** The server's CPU time so far (user + system, ms). */
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
function serverCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the line (1-based); the rest starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Offset of a page's clock (timeOrigin + now) from node's, best of 7 round trips. */
async function clockOffset(page) {
  let best = null;
  for (let i = 0; i < 7; i++) {
    const a = performance.timeOrigin + performance.now();
    const x = await page.evaluate(() => performance.timeOrigin + performance.now());
    const b = performance.timeOrigin + performance.now();
    if (!best || b - a < best.rtt) best = { rtt: b - a, offset: x - (a + b) / 2 };
  }
  return best;
}

/** A snapshot's numbers from the frames the visitor's page sent. */
function snapshotOf(frames) {
  const first = frames.find((f) => f.k === 'snap' && f.i === 0);
  if (!first) fail(`no snapshot among ${frames.length} frames (${[...new Set(frames.map((f) => f.k))]})`);
  const parts = frames.filter((f) => f.k === 'snap' && f.id === first.id);
  if (parts.length !== first.of) fail(`snapshot ${first.id}: ${parts.length} parts of ${first.of}`);
  return {
    bytes: parts.reduce((s, f) => s + f.bytes, 0),
    parts: parts.length,
    largestPart: Math.max(...parts.map((f) => f.bytes)),
    readyToFirst: first.ready === undefined ? null : first.at - first.ready,
    firstToLast: parts.at(-1).at - first.at,
    firstAt: first.at,
    lastAt: parts.at(-1).at,
  };
}

const dir = assetsDir();
const dataDir = tempDataDir();
const server = await startServer({ port: await freePort(), dataDir, env: { KEFU_ASSETS_DIR: dir } });
const pid = server.proc.pid;
const browsers = [];
const result = { loadAverage: { start: loadavg() }, server: 'debug' };
try {
  await admin(server.url, 'PUT', '/sites/demo', { name: 'Kefu Demo Store', autoAssign: false });
  const a = await openBrowser();
  browsers.push(a);
  await a.context.addInitScript(CONSOLE_HOOKS);
  const agent = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  const v = await openBrowser();
  browsers.push(v);
  await v.context.addInitScript(VISITOR_HOOKS);
  const visitor = v.page;
  for (const b of [a, v]) b.page.on('response', (r) => { if (r.status() >= 400) log(`${r.status()} ${r.url()}`); });

  // The chat: the visitor asks for a human, the agent accepts it.
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 30_000 });
  await visitor.locator('button.kefu-human').click();
  await agent.locator('button.kc-tab[data-tab="queue"]').click();
  await agent.locator('.kc-conv').first().click({ timeout: 30_000 });
  await agent.locator('.kc-pane button.kc-accept').click();
  await visitor.locator('.kefu-msg[data-sub="reception"]').waitFor({ timeout: 30_000 });
  const pane = agent.locator('.kc-pane');
  result.clocks = { visitor: await clockOffset(visitor), console: await clockOffset(agent) };
  log(`clocks: ${JSON.stringify(result.clocks)}`);

  // 1. The demo page's snapshot, from the accept click.
  await pane.locator('button.kc-cobrowse-ask').click();
  const accept = visitor.locator('.kefu-consent button.kefu-consent-accept');
  await accept.waitFor({ timeout: 30_000 });
  result.demo = { dom: await visitor.evaluate(DOM_SIZE) };
  const drawn = agent.evaluate(VIEW_WAIT, { what: { h1: 'Aria 2' }, timeoutMs: 60_000 });
  await agent.evaluate(() => 0); // the watch is in place
  const clickAt = await visitor.evaluate(() => {
    const button = document.querySelector('kefu-widget').shadowRoot.querySelector('.kefu-consent button.kefu-consent-accept');
    const t = performance.timeOrigin + performance.now();
    button.click();
    return t;
  });
  const drawnAt = await drawn;
  await pane.locator('.kefu-msg[data-sub="rcrun"]').waitFor({ timeout: 30_000 });
  const snap = snapshotOf(await visitor.evaluate(SENT));
  Object.assign(result.demo, snap, { clickToFirst: snap.firstAt - clickAt, lastToDrawn: drawnAt - snap.lastAt, clickToDrawn: drawnAt - clickAt });
  log(`demo page: ${JSON.stringify(result.demo)}`);

  // 2. Latency of one change, page → view.
  const latDrawn = agent.evaluate(VIEW_WAIT, { what: { h1: 'Aria 2' }, timeoutMs: 30_000 });
  await visitor.evaluate(() => {
    const p = document.createElement('p');
    p.id = 'bench-lat';
    p.textContent = 'start';
    const big = document.createElement('p');
    big.id = 'bench-big';
    big.style.cssText = 'overflow-wrap:anywhere;max-height:3em;overflow:hidden';
    document.querySelector('main').prepend(p, big);
  });
  await latDrawn;
  await agent.waitForFunction(() => document.querySelector('iframe.kc-cobrowse-frame')?.contentDocument?.getElementById('bench-lat'), null, { timeout: 30_000 });
  await agent.evaluate(WATCH_MARKERS);
  const cpu0 = serverCpuMs(pid);
  const sent0 = await visitor.evaluate(() => window.__cb.sent.length);
  const recv0 = await agent.evaluate(() => ({ ...window.__cbr }));
  const t0 = Date.now();
  const changedAt = await visitor.evaluate(CHANGE_TEXT, { count: CHANGES, gapMs: 100, prefix: 'lat' });
  await sleep(1_000);
  const seen = await agent.evaluate(() => { clearInterval(window.__seenPoll); return window.__seen; });
  const latency = [];
  for (const [text, at] of Object.entries(changedAt)) {
    if (!(text in seen)) fail(`change "${text}" never showed in the view`);
    latency.push(seen[text] - at);
  }
  result.latency = { changes: CHANGES, gapMs: 100, ms: latency };
  log(`latency: ${latency.map((x) => x.toFixed(1)).join(' ')}`);

  // 3. The server's CPU: idle (heartbeats), the latency stream, small and large changes.
  const phase = async (name, fn) => {
    const sentBefore = await visitor.evaluate(() => window.__cb.sent.length);
    const r0 = await agent.evaluate(() => ({ ...window.__cbr }));
    const c0 = serverCpuMs(pid);
    const w0 = Date.now();
    await fn();
    await sleep(500); // the last frames relayed
    const c1 = serverCpuMs(pid);
    const wall = Date.now() - w0;
    const frames = await visitor.evaluate(SENT, { from: sentBefore });
    const r1 = await agent.evaluate(() => ({ ...window.__cbr }));
    const out = {
      seconds: wall / 1000, cpuMs: c1 - c0,
      sentFrames: frames.length, sentBytes: frames.reduce((s, f) => s + f.bytes, 0),
      receivedFrames: r1.frames - r0.frames, receivedBytes: r1.bytes - r0.bytes,
    };
    log(`${name}: ${JSON.stringify(out)}`);
    return out;
  };
  const latencySent = await visitor.evaluate(SENT, { from: sent0 });
  const recv1 = await agent.evaluate(() => ({ ...window.__cbr }));
  result.relay = {
    tickMs: TICK_MS,
    latencyStream: {
      seconds: (Date.now() - t0) / 1000, cpuMs: serverCpuMs(pid) - cpu0,
      sentFrames: latencySent.length, sentBytes: latencySent.reduce((s, f) => s + f.bytes, 0),
      receivedFrames: recv1.frames - recv0.frames, receivedBytes: recv1.bytes - recv0.bytes,
    },
    idle: await phase('idle', () => sleep(IDLE_MS)),
    small: await phase('small', () => visitor.evaluate(CHANGE_TEXT, { count: SMALL, gapMs: 20, prefix: 's' })),
    large: await phase('large', () => visitor.evaluate(CHANGE_TEXT, { count: LARGE, gapMs: 50, prefix: 'L', size: 20_000 })),
  };
  result.relay.small.changes = SMALL;
  result.relay.large.changes = LARGE;
  result.errors = await visitor.evaluate(() => window.__cb.errors);

  // 4. 5,000 elements added to the demo page in one mutation.
  {
    const before = await visitor.evaluate(() => window.__cb.sent.length);
    const shown = agent.evaluate(VIEW_WAIT, { what: { rows: ROWS }, timeoutMs: 60_000 });
    await agent.evaluate(() => 0);
    const at = await visitor.evaluate((html) => {
      const c = document.createElement('div');
      c.id = 'bench-rows';
      c.innerHTML = html;
      const t = performance.timeOrigin + performance.now();
      document.querySelector('main').append(c);
      return t;
    }, rowsHtml('Added'));
    const shownAt = await shown;
    await sleep(300);
    const frames = await visitor.evaluate(SENT, { from: before });
    const kinds = {};
    for (const f of frames) kinds[f.k] = (kinds[f.k] ?? 0) + 1;
    result.oneMutation = {
      elements: ROWS * 5, frames: frames.length, kinds,
      bytes: frames.reduce((s, f) => s + f.bytes, 0),
      changeToFirst: frames.length ? frames[0].at - at : null,
      firstToLast: frames.length ? frames.at(-1).at - frames[0].at : null,
      changeToDrawn: shownAt - at,
      dom: await visitor.evaluate(DOM_SIZE),
    };
    log(`one mutation: ${JSON.stringify(result.oneMutation)}`);
  }

  // 5. A page of 5,000 elements: the visitor goes there, sharing resumes.
  {
    const shown = agent.evaluate(VIEW_WAIT, { what: { h1: 'Five thousand', rows: ROWS }, timeoutMs: 60_000 });
    await agent.evaluate(() => 0);
    await visitor.goto(`${server.url}/bench-5000.html`);
    const shownAt = await shown;
    const origin = await visitor.evaluate(() => performance.timeOrigin);
    const big = snapshotOf(await visitor.evaluate(SENT));
    result.page5000 = {
      ...big, dom: await visitor.evaluate(DOM_SIZE), rowElements: ROWS * 5,
      navigationToFirst: big.firstAt - origin, lastToDrawn: shownAt - big.lastAt, navigationToDrawn: shownAt - origin,
    };
    log(`5,000-element page: ${JSON.stringify(result.page5000)}`);
  }
  result.errors = { ...result.errors, ...(await visitor.evaluate(() => window.__cb.errors)) };
  const errors = [...a.errors, ...v.errors].filter((e) => !/WebSocket|net::|Notification/.test(e));
  if (errors.length) fail(`page errors: ${errors.join('\n')}`);
  result.loadAverage.end = loadavg();
} finally {
  for (const b of browsers) await b.close();
  await server.stop();
  cleanup(dataDir);
  rmSync(dir, { recursive: true, force: true });
}
for (const k of ['demo', 'page5000']) { delete result[k].firstAt; delete result[k].lastAt; }
console.log(JSON.stringify(result));

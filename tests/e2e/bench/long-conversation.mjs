// `cargo xtask bench`: a conversation of 10,000 messages in the visitor widget.
// Creates a visitor and its conversation through the demo page, stops the server,
// writes 10,000 text messages straight into its SQLite file (sqlite3 CLI), restarts
// it, then in Debian's Chromium brings every message into the widget through its own
// UI ("load more" / scrolling to the top) and measures: how long one history page
// takes from request to DOM as the list grows, what one live message costs with all
// 10,000 held, while the reader is at the oldest (WebSocket frame → next frame) and
// at the bottom (→ its text in the DOM), and scrolling up through the history and
// back at a flick's speed (frame times, long tasks), plus DOM size and JS heap. Prints one JSON line for
// xtask (xtask/src/bench/long.rs). A benchmark, not a test: nothing here is judged,
// but anything that does not happen fails the run loudly.
// Knobs (environment): KEFU_BENCH_MESSAGES (10000), KEFU_BENCH_APPENDS (30),
// KEFU_BENCH_LOAD_BUDGET_S (1200: time allowed for paging the widget's history),
// KEFU_BENCH_CONSOLE_BUDGET_S (600, the console pane's; 0 skips the console).
// `KEFU_BENCH_ONLY=long cargo xtask bench` runs this part alone.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { startServer, freePort, tempDataDir, cleanup, ADMIN_TOKEN, DEMO_PASSWORD } from '../support/server.mjs';
import { openBrowser } from '../support/browser.mjs';
import { AgentClient, agentLogin } from '../support/agent.mjs';

const COUNT = Number(process.env.KEFU_BENCH_MESSAGES ?? 10_000);
const APPENDS = Number(process.env.KEFU_BENCH_APPENDS ?? 30);
const SCROLL_MS = 3_000;
/**
 * Wall-clock budget for bringing the history in. When a page costs seconds, all
 * 10,000 may take hours: the run then stops loading, says so (`budgetHit`, `held`),
 * and measures appends and scrolling with what it holds. Never a made-up number.
 */
const LOAD_BUDGET_S = Number(process.env.KEFU_BENCH_LOAD_BUDGET_S ?? 1_200);
/** The same for the agent console's pane; 0 skips the console. */
const CONSOLE_BUDGET_S = Number(process.env.KEFU_BENCH_CONSOLE_BUDGET_S ?? 600);

const fail = (msg) => { throw new Error(`long-conversation: ${msg}`); };
const log = (msg) => process.stderr.write(`long-conversation: ${msg}\n`);

// Runs in the page before anything else: timestamps WebSocket frames by their text
// and history requests, keeps long tasks.
const HOOKS = () => {
  window.__bench = { frames: new Map(), historySent: [], historyRecv: [], longTasks: [], conversationID: null, errors: {}, readies: 0 };
  const B = window.__bench;
  const Native = window.WebSocket;
  class Timed extends Native {
    constructor(...args) {
      super(...args);
      // Registered before the widget's own listener: runs first for every frame.
      this.addEventListener('message', (e) => {
        const at = performance.now();
        if (typeof e.data !== 'string') return;
        if (e.data.includes('"type":"historyPage"')) B.historyRecv.push(at);
        else if (e.data.includes('"type":"error"')) {
          const code = e.data.match(/"code":"([^"]+)"/)?.[1] ?? '?';
          B.errors[code] = (B.errors[code] ?? 0) + 1;
        }
        else if (e.data.includes('"type":"ready"')) {
          B.readies += 1;
          const m = e.data.match(/"conversationID":"([^"]+)"/);
          if (m) B.conversationID = m[1];
        } else if (e.data.includes('"type":"message"')) {
          const m = e.data.match(/"text":"(bench-append [^"]+)"/);
          if (m) {
            B.frames.set(m[1], at);
            B.onFrame?.(m[1], at);
          }
        }
      });
    }
    send(data) {
      if (typeof data === 'string' && data.includes('"type":"getHistory"')) B.historySent.push(performance.now());
      return super.send(data);
    }
  }
  window.WebSocket = Timed;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) B.longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
};

const sql = (db, text) => execFileSync('sqlite3', [db], { input: text, encoding: 'utf8' }).trim();
const quote = (s) => `'${String(s).replaceAll("'", "''")}'`;

/** Inserts COUNT alternating visitor/agent text messages after the existing ones. */
function insertMessages(db, conversationID) {
  const conv = sql(db, `SELECT site_id || '|' || visitor_id || '|' || last_sequence FROM conversations WHERE id = ${quote(conversationID)};`);
  if (!conv) fail(`conversation ${conversationID} not in ${db}`);
  const [site, visitor, lastText] = conv.split('|');
  const last = Number(lastText);
  const agent = sql(db, `SELECT id || '|' || name FROM agents WHERE site_id = ${quote(site)} AND username = 'demo';`);
  if (!agent) fail('no demo agent in the database');
  const [agentID, agentName] = agent.split('|');
  const now = Date.now();
  // Message i (1-based): odd from the visitor, even from the agent; lengths 12…~330
  // characters cycling irregularly; one message a minute ending a minute ago.
  sql(db, `
PRAGMA busy_timeout = 10000;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${COUNT}),
words(w) AS (SELECT 'Hello, my order has not arrived yet and the tracking page has shown the same status since Monday. Could you check what is happening with parcel number 1234-5678? I would also like to change the delivery address to my office if that is still possible, and know whether the warranty covers a cracked screen on the Aria 2 headphones case. Thank you very much for your help today. ')
INSERT INTO messages (id, conversation_id, sequence, sender, recipient, nick, client_msg_id, time_ms, kind, payload, is_revoked)
SELECT 'msg_bench_' || i, ${quote(conversationID)}, ${last} + i,
  CASE i % 2 WHEN 1 THEN 'visitor:' || ${quote(visitor)} ELSE 'agent:' || ${quote(agentID)} END,
  CASE i % 2 WHEN 1 THEN 'site:' || ${quote(site)} ELSE 'visitor:' || ${quote(visitor)} END,
  CASE i % 2 WHEN 1 THEN NULL ELSE ${quote(agentName)} END,
  'bench-' || i, ${now} - (${COUNT} - i + 1) * 60000, 'text',
  json_object('text', '#' || i || ' ' || substr(w, 1 + (i * 7) % 40, 12 + (i * 37) % 97 + (CASE WHEN i % 13 = 0 THEN 220 ELSE 0 END))),
  0
FROM n, words;
UPDATE conversations SET last_sequence = ${last + COUNT}, updated_at = ${now},
  visitor_read_seq = ${last + COUNT}, agent_read_seq = ${last + COUNT}
  WHERE id = ${quote(conversationID)};
COMMIT;`);
  const check = sql(db, `SELECT count(*) || '|' || max(sequence) || '|' || min(sequence) FROM messages WHERE conversation_id = ${quote(conversationID)};`);
  const [total, max, min] = check.split('|').map(Number);
  if (total !== last + COUNT || max !== last + COUNT || min !== 1) fail(`after the insert: ${check}, expected ${last + COUNT} contiguous`);
  return { before: last, total };
}

async function admin(baseUrl, method, path, body) {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) fail(`${method} ${path}: ${res.status} ${await res.text()}`);
}

// In the page: bring older pages in until the oldest message shown has sequence
// `targetSeq` or less (or the history is complete); returns one timing per page.
// Progress is read from the first `.kefu-msg[data-seq]` (cheap, and still right if
// the list renders only what is visible). Scrolls the list to its top each time;
// waits while "load more" is disabled (a page in flight).
const LOAD_UNTIL = async ({ w, targetSeq, timeoutMs }) => {
  const root = w.host ? document.querySelector(w.host).shadowRoot : document.querySelector(w.scope);
  const list = root.querySelector(w.list);
  const oldest = () => Number(root.querySelector('.kefu-msg[data-seq]')?.getAttribute('data-seq') ?? Infinity);
  const B = window.__bench;
  const pages = [];
  let seq = oldest();
  while (seq > targetSeq) {
    const button = root.querySelector(w.more);
    if (button && button.disabled) {
      // A page still in flight (the widget's own first one, or a late answer).
      const since = performance.now();
      while (button.isConnected && button.disabled) {
        if (performance.now() - since > timeoutMs) throw new Error(`"load more" stayed disabled for ${timeoutMs} ms (oldest shown: #${seq})`);
        await new Promise((r) => setTimeout(r, 5));
      }
      seq = oldest();
      continue;
    }
    const sentBefore = B.historySent.length;
    const recvBefore = B.historyRecv.length;
    const before = seq;
    const toTop = () => {
      list.scrollTop = -list.scrollHeight; // column-reverse: the top is negative
      list.dispatchEvent(new Event('scroll'));
    };
    let obs;
    let timer;
    let poll;
    let retries = 0;
    const grew = new Promise((resolve, reject) => {
      const done = () => { obs.disconnect(); clearTimeout(timer); clearInterval(poll); };
      timer = setTimeout(() => {
        done();
        const rows = [...root.querySelectorAll('.kefu-msg[data-seq]')].map((r) => Number(r.dataset.seq));
        const state = JSON.stringify({ rendered: rows.length, first: rows[0], last: rows.at(-1), top: list.scrollTop,
          height: list.scrollHeight, sent: B.historySent.length, received: B.historyRecv.length, errors: B.errors, readies: B.readies });
        reject(new Error(`no older messages within ${timeoutMs} ms of scrolling to the top (oldest shown: #${before}; ${state})`));
      }, timeoutMs);
      obs = new MutationObserver(() => {
        const n = oldest();
        if (n < before) { done(); resolve([performance.now(), n]); }
      });
      obs.observe(root, { childList: true, subtree: true });
      // Nothing for 3 s and no page in flight (its request answered by an error
      // frame, or lost with a reconnect): the reader scrolls up again.
      let last = performance.now();
      poll = setInterval(() => {
        const button = root.querySelector(w.more);
        if (performance.now() - last > 3_000 && !(button && button.disabled)) {
          retries += 1;
          last = performance.now();
          toTop();
        }
      }, 250);
    });
    const t0 = performance.now();
    // As a reader does: up to the top, where the list shows or asks for more.
    // (Not "load more" clicked from wherever the list is: a reader sees that button
    // only at the top; clicked at the bottom of a window the list has trimmed, the
    // list would bring the newer messages back as fast as the click reveals older.)
    toTop();
    let dom;
    [dom, seq] = await grew;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const frame = performance.now();
    const sent = B.historySent[sentBefore] ?? t0;
    const recv = B.historyRecv[recvBefore] ?? NaN;
    pages.push({ oldest: seq, added: before - seq, clickToDom: dom - t0, requestToDom: dom - sent,
      wire: recv - sent, responseToDom: dom - recv, requestToFrame: frame - sent, retries });
  }
  return { pages, oldest: seq };
};

/** Scroll speed (px/s): a quick flick, far faster than reading. */
const SCROLL_SPEED = 6_000;

// In the page: from the bottom, scroll up at SCROLL_SPEED for half of `durationMs`,
// then back down; the list may render more (or fewer) messages as it goes. Frame
// times, long tasks, and the most messages rendered at once.
const SCROLL = async ({ w, durationMs, speed }) => {
  const root = w.host ? document.querySelector(w.host).shadowRoot : document.querySelector(w.scope);
  const list = root.querySelector(w.list);
  const B = window.__bench;
  const reversed = getComputedStyle(list).flexDirection === 'column-reverse';
  // Up is negative scrollTop in a column-reverse list, towards 0 in a plain one.
  const up = reversed ? -1 : 1;
  list.scrollTop = reversed ? 0 : list.scrollHeight;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const tasksBefore = B.longTasks.length;
  const frames = [];
  const start = performance.now();
  let last = start;
  let travelled = 0;
  let maxRendered = 0;
  await new Promise((resolve) => {
    const step = (now) => {
      frames.push(now - last);
      const p = (now - start) / durationMs;
      const px = speed * (now - last) / 1000;
      last = now;
      const before = list.scrollTop;
      list.scrollTop = before + (p < 0.5 ? up : -up) * px;
      travelled += Math.abs(list.scrollTop - before);
      maxRendered = Math.max(maxRendered, root.querySelectorAll('.kefu-msg').length);
      if (p < 1) requestAnimationFrame(step); else resolve();
    };
    requestAnimationFrame(step);
  });
  frames.shift(); // the wait for the first frame
  await new Promise((r) => setTimeout(r, 200)); // late long-task entries
  const tasks = B.longTasks.slice(tasksBefore);
  return { frames, longTasks: tasks.map((t) => t.duration), range: travelled, maxRendered, elapsed: performance.now() - start };
};

const DOM_SIZE = ({ w }) => {
  const root = w.host ? document.querySelector(w.host).shadowRoot : document.querySelector(w.scope);
  let nodes = 0;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
  while (walker.nextNode()) nodes++;
  return { elements: root.querySelectorAll('*').length, nodes, messages: root.querySelectorAll('.kefu-msg').length };
};

// In the page: waits for `text` to be added to the list; returns frame → DOM time.
const WATCH_APPEND = ({ w, text, timeoutMs }) => {
  const root = w.host ? document.querySelector(w.host).shadowRoot : document.querySelector(w.scope);
  const B = window.__bench;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { obs.disconnect(); reject(new Error(`"${text}" not in the DOM within ${timeoutMs} ms (frame ${B.frames.has(text) ? 'received' : 'not received'})`)); }, timeoutMs);
    const obs = new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) {
        if (n.textContent && n.textContent.includes(text)) {
          const dom = performance.now();
          obs.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => setTimeout(() => {
            const at = B.frames.get(text);
            if (at === undefined) reject(new Error(`"${text}" in the DOM but its frame was never seen`));
            else resolve({ frameToDom: dom - at, frameToFrame: performance.now() - at });
          }, 0));
          return;
        }
      }
    });
    obs.observe(root, { childList: true, subtree: true });
  });
};

// In the page: when the frame carrying `text` arrives, the time from it to the
// next frame (the widget's own listener runs after the bench's, then its render).
const WATCH_FRAME = ({ text, timeoutMs }) => {
  const B = window.__bench;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the frame with "${text}" never came within ${timeoutMs} ms`)), timeoutMs);
    B.onFrame = (t, at) => {
      if (t !== text) return;
      B.onFrame = null;
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(() => resolve({ frameToFrame: performance.now() - at }), 0));
    };
  });
};

// In the page: scrolls the list down until `text` is rendered at its bottom.
const BACK_DOWN = async ({ w, text, timeoutMs }) => {
  const root = w.host ? document.querySelector(w.host).shadowRoot : document.querySelector(w.scope);
  const list = root.querySelector(w.list);
  const since = performance.now();
  for (;;) {
    const rows = root.querySelectorAll('.kefu-msg');
    if (rows[rows.length - 1]?.textContent.includes(text) && list.scrollTop === 0) return;
    if (performance.now() - since > timeoutMs) throw new Error(`"${text}" not reached scrolling down`);
    list.scrollTop = 0; // column-reverse: the bottom
    list.dispatchEvent(new Event('scroll'));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  }
};

/** Counts every DOM change in the list's part of the page from now on. */
const COUNT_MUTATIONS = (w) => {
  const root = w.host ? document.querySelector(w.host).shadowRoot : document.querySelector(w.scope);
  const counts = { childList: 0, attributes: 0, characterData: 0 };
  const obs = new MutationObserver((records) => { for (const r of records) counts[r.type]++; });
  obs.observe(root, { childList: true, attributes: true, characterData: true, subtree: true });
  window.__benchMutations = { counts, obs };
};
const MUTATIONS = () => {
  window.__benchMutations.obs.disconnect();
  return window.__benchMutations.counts;
};

const cdps = new Map();
async function cdpFor(page) {
  if (!cdps.has(page)) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    cdps.set(page, cdp);
  }
  return cdps.get(page);
}

async function heap(page) {
  const cdp = await cdpFor(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name) => metrics.find((m) => m.name === name)?.value;
  return { jsHeapUsed: get('JSHeapUsedSize'), documentNodes: get('Nodes') };
}

/**
 * Chromium's cumulative main-thread times (ms): script (JS and wasm), layout,
 * style recalculation, and all tasks; differences between two readings say where
 * a phase's time went.
 */
async function mainThread(page) {
  const { metrics } = await (await cdpFor(page)).send('Performance.getMetrics');
  const get = (name) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
  return { script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration'), task: get('TaskDuration') };
}
const since = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k] - a[k]]));

/** Where the measured list lives: the widget's shadow root, or the console's pane. */
const WIDGET = { host: 'kefu-widget', list: '.kefu-messages', more: '.kefu-load-more', jump: '.kefu-new-messages' };
const CONSOLE = { scope: '.kc-pane', list: '.kc-messages', more: '.kc-load-older', jump: '.kc-new-messages' };

/**
 * Measures one message list already showing the newest page of the conversation
 * (sequences 1..total): pages in the history within `budgetS`, DOM and heap, then
 * APPENDS live messages sent by `agent`, then a scroll over the whole list.
 */
async function measureList(page, w, { total, budgetS, agent, conversationID }) {
  const out = { total, loadBudgetSeconds: budgetS, budgetHit: false };
  const oldestSeq = () => page.evaluate((w) => {
    const root = w.host ? document.querySelector(w.host).shadowRoot : document.querySelector(w.scope);
    return Number(root.querySelector('.kefu-msg[data-seq]')?.getAttribute('data-seq') ?? Infinity);
  }, w);
  const heldNow = async () => total - Math.min(total + 1, await oldestSeq()) + 1;
  const loadStart = Date.now();
  const pages = [];
  const chunks = [];
  while ((await heldNow()) < total) {
    if (Date.now() - loadStart > budgetS * 1000) {
      out.budgetHit = true;
      log(`load budget of ${budgetS} s spent: measuring with what is held`);
      break;
    }
    // Chunks of ~150 messages per evaluate keep each call short.
    const targetSeq = Math.max(1, total + 1 - ((await heldNow()) + 150));
    const m0 = await mainThread(page);
    const r = await page.evaluate(LOAD_UNTIL, { w, targetSeq, timeoutMs: 60_000 });
    chunks.push({ held: total - r.oldest + 1, pages: r.pages.length, mainThread: since(m0, await mainThread(page)) });
    pages.push(...r.pages.map((p) => ({ ...p, held: total - p.oldest + 1 })));
    log(`${total - r.oldest + 1} of ${total} messages held (${Math.round((Date.now() - loadStart) / 1000)} s)`);
  }
  out.loadSeconds = (Date.now() - loadStart) / 1000;
  out.held = await heldNow();
  if (out.held < total && !out.budgetHit) fail(`only ${out.held} of ${total} messages held`);
  out.pages = pages.map(({ held, added, requestToDom, responseToDom, wire, requestToFrame }) => ({ held, added, requestToDom, responseToDom, wire, requestToFrame }));
  out.loadRetries = pages.reduce((n, p) => n + p.retries, 0);
  out.loadErrors = await page.evaluate(() => ({ errors: window.__bench.errors, reconnects: window.__bench.readies - 1 }));
  out.chunks = chunks;
  out.domAtFull = await page.evaluate(DOM_SIZE, { w });
  out.heapAtFull = await heap(page);

  const appendText = (i) => `bench-append ${i} ${Math.random().toString(36).slice(2, 10)}`;
  const agentSends = async (text) => {
    const ack = await agent.sendText(conversationID, text);
    if (ack.type !== 'ack') fail(`agent send refused: ${JSON.stringify(ack)}`);
  };

  // Live messages while the reader is at the oldest message: one new message
  // each that the list need not show yet.
  out.awayRendered = (await page.evaluate(DOM_SIZE, { w })).messages;
  await page.evaluate(COUNT_MUTATIONS, w);
  const aa0 = await mainThread(page);
  const away = [];
  let lastAway;
  for (let i = 0; i < APPENDS; i++) {
    const text = appendText(i + 1);
    lastAway = text;
    const watching = page.evaluate(WATCH_FRAME, { text, timeoutMs: 60_000 });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    await agentSends(text);
    away.push(await watching);
  }
  out.appendsAway = away;
  out.appendsAwayMainThread = since(aa0, await mainThread(page));
  out.appendsAwayMutations = await page.evaluate(MUTATIONS);
  // Back to the bottom: the widget's "new messages" button (the agent's messages
  // are news to the visitor); in the console they are the agent's own, so no
  // button: the pane is scrolled down until the newest shows.
  if (w.host) {
    const more = page.locator(`${w.host} ${w.jump}`);
    if (!(await more.isVisible())) fail('no "new messages" button while reading the oldest');
    await more.click();
    await more.waitFor({ state: 'detached', timeout: 60_000 });
  } else {
    await page.evaluate(BACK_DOWN, { w, text: lastAway, timeoutMs: 60_000 });
  }

  // Live messages at the bottom: each appears (frame → its text in the DOM).
  const appends = [];
  await page.evaluate(COUNT_MUTATIONS, w);
  const a0 = await mainThread(page);
  for (let i = 0; i < APPENDS; i++) {
    const text = appendText(APPENDS + i + 1);
    const watching = page.evaluate(WATCH_APPEND, { w, text, timeoutMs: 60_000 });
    // Let the observer attach before the frame can arrive.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    await agentSends(text);
    appends.push(await watching);
  }
  out.appends = appends;
  out.appendsMainThread = since(a0, await mainThread(page));
  out.appendsMutations = await page.evaluate(MUTATIONS);

  const s0 = await mainThread(page);
  out.scroll = await page.evaluate(SCROLL, { w, durationMs: SCROLL_MS, speed: SCROLL_SPEED });
  out.scroll.mainThread = since(s0, await mainThread(page));
  if (out.scroll.frames.length < 10) fail(`only ${out.scroll.frames.length} frames while scrolling`);
  out.dom = await page.evaluate(DOM_SIZE, { w });
  out.heap = await heap(page);
  return out;
}

const dataDir = tempDataDir();
const db = join(dataDir, 'kefu.db');
let server = await startServer({ port: await freePort(), dataDir });
const browsers = [];
let agent;
const result = { messages: COUNT, loadAverage: { start: loadavg() } };
try {
  await admin(server.url, 'PUT', '/sites/demo', { name: 'Kefu Demo Store', autoAssign: false });
  const visitorBrowser = await openBrowser();
  browsers.push(visitorBrowser);
  const { page } = visitorBrowser;
  await page.addInitScript(HOOKS);

  // 1. The visitor and its conversation, through the demo page.
  await page.goto(`${server.url}/`);
  await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await page.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 30_000 });
  const conversationID = await page.evaluate(() => window.__bench.conversationID);
  if (!conversationID) fail('the widget\'s ready frame carried no conversation ID');
  log(`conversation ${conversationID}`);

  // 2. 10,000 messages straight into SQLite, server stopped.
  await server.stop();
  const t = Date.now();
  const { before, total: inserted } = insertMessages(db, conversationID);
  log(`inserted ${COUNT} messages after ${before} in ${Date.now() - t} ms`);
  server = await startServer({ port: server.port, dataDir });

  // 3. Reload and open the chat; an agent takes the conversation (the visitor asks
  //    for a human, the agent accepts), which adds the service's lines at the end.
  await page.reload();
  const launcher = page.locator('button.kefu-launcher');
  await launcher.waitFor({ timeout: 30_000 });
  if (!(await page.locator('.kefu-messages').isVisible())) await launcher.click();
  await page.locator('.kefu-messages').waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.kefu-msg[data-seq]').last().waitFor({ timeout: 30_000 });
  agent = await AgentClient.connect(server.url, await agentLogin(server.url));
  const human = page.locator('button.kefu-human');
  await human.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('kefu-widget').shadowRoot.querySelector('button.kefu-human').disabled, null, { timeout: 60_000 });
  await human.click();
  await agent.next((f) => f.type === 'queue' && f.entries.some((e) => e.conversationID === conversationID), 60_000);
  agent.send({ type: 'accept', conversationID });
  await page.locator('.kefu-system[data-sub="reception"]').waitFor({ timeout: 60_000 });
  await page.locator('.kefu-queue').waitFor({ state: 'detached', timeout: 60_000 });
  const total = Number(sql(db, `SELECT last_sequence FROM conversations WHERE id = ${quote(conversationID)};`));
  if (!(total >= inserted)) fail(`last sequence ${total} after inserting up to ${inserted}`);
  result.widget = await measureList(page, WIDGET, { total, budgetS: LOAD_BUDGET_S, agent, conversationID });
  const errors = visitorBrowser.errors.filter((e) => !/WebSocket|net::/.test(e));
  if (errors.length) fail(`widget page errors: ${errors.join('\n')}`);
  // The visitor's page would re-render for every message sent to the console below,
  // on the same two cores: it goes away first.
  await visitorBrowser.close();
  browsers.splice(browsers.indexOf(visitorBrowser), 1);

  // 6. The same conversation in the agent console's pane.
  if (CONSOLE_BUDGET_S > 0) {
    const consoleBrowser = await openBrowser();
    browsers.push(consoleBrowser);
    const cp = consoleBrowser.page;
    await cp.addInitScript(HOOKS);
    await cp.goto(`${server.url}/console/`);
    const form = cp.locator('form.kc-login');
    await form.locator('input[name="username"]').fill('demo');
    await form.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await form.locator('button[type="submit"]').click();
    await cp.locator('button.kc-tab[data-tab="mine"]').click({ timeout: 30_000 });
    await cp.locator(`.kc-conv[data-conversation-id="${conversationID}"]`).click({ timeout: 30_000 });
    await cp.locator(`.kc-pane[data-conversation-id="${conversationID}"] .kefu-msg[data-seq]`).last().waitFor({ timeout: 60_000 });
    const now = Number(sql(db, `SELECT last_sequence FROM conversations WHERE id = ${quote(conversationID)};`));
    result.console = await measureList(cp, CONSOLE, { total: now, budgetS: CONSOLE_BUDGET_S, agent, conversationID });
    const cerrors = consoleBrowser.errors.filter((e) => !/WebSocket|net::|Notification/.test(e));
    if (cerrors.length) fail(`console page errors: ${cerrors.join('\n')}`);
  }
  result.loadAverage.end = loadavg();
} finally {
  if (agent) await agent.close();
  for (const b of browsers) await b.close();
  await server.stop();
  cleanup(dataDir);
}
console.log(JSON.stringify(result));

// The widget as a guest on pages it does not control (issue 6): a hostile stylesheet
// changes nothing in it, it adds no style to the page and shifts nothing on it, and it
// works under a strict Content-Security-Policy without a single violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openGuest, measure } from './support/guest.mjs';

const PIECES = ['.kefu-app', '.kefu-launcher', '.kefu-window', '.kefu-header', '.kefu-title', '.kefu-input', '.kefu-send', '.kefu-msg--out .kefu-bubble'];
const PROPS = ['font-size', 'line-height', 'letter-spacing', 'text-transform', 'color', 'box-sizing', 'display', 'padding-top', 'border-top-width', 'z-index'];

// Layout shifts and long tasks on the host page, recorded from the first byte.
const OBSERVE = () => {
  window.__cls = 0;
  window.__longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
    .observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(Math.round(e.duration)); })
    .observe({ type: 'longtask', buffered: true });
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  });
};

/** Open the widget on `path`, send a message, and measure the pieces. */
async function openAndSend(page, url, text) {
  await page.goto(url);
  await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
  await page.locator('textarea.kefu-input').fill(text);
  await page.locator('button.kefu-send').click();
  await page.locator('.kefu-msg--out[data-status="sent"]', { hasText: text }).waitFor({ timeout: 15_000 });
  return measure(page, PIECES, PROPS);
}

test('a hostile host stylesheet changes nothing in the widget', async (t) => {
  const { host, page, errors } = await openGuest(t);
  await page.addInitScript(OBSERVE);
  const clean = await openAndSend(page, `${host.url}/plain.html`, 'hello from a clean page');
  const hostile = await openAndSend(page, `${host.url}/hostile.html`, 'hello from a hostile page');

  for (const sel of PIECES) {
    assert.ok(clean[sel] && hostile[sel], `${sel} rendered on both pages`);
    assert.deepEqual(hostile[sel].style, clean[sel].style, `${sel}: computed style`);
    for (const k of ['width', 'height', 'right', 'bottom']) {
      if (sel === '.kefu-msg--out .kefu-bubble' && k !== 'height') continue; // other text
      assert.ok(Math.abs(hostile[sel][k] - clean[sel][k]) < 1, `${sel}.${k}: ${hostile[sel][k]} vs ${clean[sel][k]}`);
    }
  }
  assert.equal(clean['.kefu-launcher'].width, 60);
  assert.equal(clean['.kefu-input'].style['font-size'], '16px');

  // The widget is on top of the page's z-index war: what is at its send button is it.
  const onTop = await page.evaluate(() => {
    const root = document.querySelector('kefu-widget').shadowRoot;
    const r = root.querySelector('.kefu-launcher').getBoundingClientRect();
    return root.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('.kefu-launcher') != null;
  });
  assert.ok(onTop, 'the launcher is above the page banner with z-index 2147482999');
  assert.deepEqual(errors, []);
});

test('the widget adds no style to the host page and shifts nothing on it', async (t) => {
  const { host, page, errors } = await openGuest(t);
  await page.addInitScript(OBSERVE);
  await page.goto(`${host.url}/plain.html`);
  const look = () => page.evaluate(() => {
    const h1 = document.querySelector('h1');
    const cs = getComputedStyle(h1);
    return {
      sheets: document.styleSheets.length,
      styleNodes: document.querySelectorAll('style, link[rel="stylesheet"]').length,
      h1: [...cs].map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'),
      h1Box: JSON.stringify(h1.getBoundingClientRect()),
      bodyHeight: document.body.scrollHeight,
    };
  });
  const bare = await look();
  // Loaded after `load`: wait until the launcher is there and the socket is up.
  await page.locator('button.kefu-launcher').waitFor({ timeout: 30_000 });
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
  const loaded = await page.evaluate(() => ({ cls: window.__cls, longTasks: window.__longTasks }));
  assert.equal(loaded.cls, 0, 'cumulative layout shift on the host page while the widget loads');
  console.log(`# host page during widget load: CLS ${loaded.cls}, long tasks ${JSON.stringify(loaded.longTasks)} ms`);

  await page.locator('button.kefu-launcher').click();
  await page.locator('.kefu-window:not([hidden])').waitFor();
  const opened = await look();
  assert.deepEqual(opened, bare, 'no stylesheet in the host document, host elements unchanged');
  assert.equal(bare.styleNodes, 0);
  assert.equal(await page.locator('kefu-widget').count(), 1);
  assert.deepEqual(errors, []);
});

test('a strict Content-Security-Policy page: the widget works, nothing is blocked', async (t) => {
  let csp = '';
  const { server, host, page, errors } = await openGuest(t, {
    headers: (path) => (path.endsWith('.html') ? { 'content-security-policy': csp } : {}),
  });
  const ws = server.url.replace(/^http/, 'ws');
  csp = `default-src 'self'; script-src 'self' ${server.url} 'wasm-unsafe-eval'; style-src 'self' ${server.url}; connect-src 'self' ${server.url} ${ws}`;
  await page.addInitScript(OBSERVE);
  const pieces = await openAndSend(page, `${host.url}/strict-csp.html`, 'hello under a strict CSP');
  assert.equal(pieces['.kefu-launcher'].width, 60, 'styled: the stylesheet was allowed');
  assert.equal(await page.evaluate(() => document.querySelector('kefu-widget').getAttribute('data-theme')), 'auto');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors.filter((e) => /Content Security Policy|Refused/i.test(e)), []);
  assert.deepEqual(errors, []);
});

test("the issue's exact policy, widget on the page's own origin: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'", async (t) => {
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
  const { host, page, errors } = await openGuest(t, {
    proxy: true,
    headers: (path) => (path.endsWith('.html') ? { 'content-security-policy': csp } : {}),
  });
  await page.addInitScript(OBSERVE);
  const pieces = await openAndSend(page, `${host.url}/strict-csp-same-origin.html`, 'hello, same origin');
  assert.equal(pieces['.kefu-launcher'].width, 60, 'styled: the stylesheet was allowed');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
});

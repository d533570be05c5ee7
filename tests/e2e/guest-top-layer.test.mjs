// The widget cannot be trapped by its host page (issue 19): a `transform`, `filter`,
// `perspective`, `contain`, `overflow` or `zoom` on the page's <html> or <body>, or a
// full-screen overlay at the top of the z-index scale, changes neither where the
// launcher and the window are nor how they look, and real pointer clicks open and
// close the chat. A stylesheet that fails to load never leaves an unstyled widget in
// the page: it is retried, and given up with an `error` event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openGuest } from './support/guest.mjs';

const TRAPS = [
  'transform: scale(.5)',
  'filter: grayscale(1)',
  'perspective: 100px',
  'contain: paint',
  'overflow: hidden',
  'zoom: .5',
];
const CASES = [
  ...['html', 'body'].flatMap((el) => TRAPS.map((rule) => `${el} { ${rule} !important; }`)),
  // A transparent full-page layer at the top of the z-index scale: only a real click
  // can tell whether the widget is above it.
  'body::after { content: ""; position: fixed; inset: 0; z-index: 2147483647; }',
  'body > * { position: relative !important; z-index: 2147483647 !important; will-change: transform; }',
];

/** The launcher's and the window's boxes in the viewport, and a picture of the launcher. */
async function boxes(page) {
  return page.evaluate(() => {
    const root = document.querySelector('kefu-widget').shadowRoot;
    const box = (sel) => {
      const el = root.querySelector(sel);
      if (!el || el.closest('[hidden]')) return null;
      const r = el.getBoundingClientRect();
      return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
    };
    return { launcher: box('.kefu-launcher'), window: box('.kefu-window'), close: box('.kefu-close') };
  });
}

const centre = (b) => [b.x + b.width / 2, b.y + b.height / 2];

/** Open the page with `css`, then open and close the chat with real clicks. */
async function tour(page, url, css, n) {
  await page.goto(`${url}/trap.html?n=${n}#${encodeURIComponent(css)}`);
  await page.locator('button.kefu-launcher').waitFor({ timeout: 30_000 });
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
  await page.mouse.move(0, 0);
  const closed = await boxes(page);
  const picture = await page.screenshot({ clip: closed.launcher });
  await page.mouse.click(...centre(closed.launcher));
  await page.locator('.kefu-window:not([hidden])').waitFor({ timeout: 5_000 });
  const open = await boxes(page);
  await page.mouse.click(...centre(open.close));
  await page.locator('.kefu-window[hidden]').waitFor({ state: 'attached', timeout: 5_000 });
  return { closed, open, picture };
}

test('no style on <html> or <body> traps the widget: same place, same look, real clicks work', async (t) => {
  const { host, page, errors } = await openGuest(t);
  const clean = await tour(page, host.url, '', 0);
  const viewport = page.viewportSize();
  assert.equal(clean.closed.launcher.width, 60);
  assert.ok(clean.closed.launcher.x + 60 <= viewport.width && clean.closed.launcher.y + 60 <= viewport.height, 'in the corner');
  for (const [i, css] of CASES.entries()) {
    const seen = await tour(page, host.url, css, i + 1);
    assert.deepEqual(seen.closed, clean.closed, `${css}: launcher`);
    assert.deepEqual(seen.open, clean.open, `${css}: window`);
    assert.ok(seen.picture.equals(clean.picture), `${css}: the launcher looks as on a clean page`);
  }
  assert.deepEqual(errors, []);
});

test('a stylesheet that fails once is retried; one that never loads leaves nothing and reports error', async (t) => {
  const { host, page, errors } = await openGuest(t);
  let failures = 1;
  // The stylesheet's name is content-hashed: /widget/widget-<hash>.css.
  await page.route(/\/widget[-\w]*\.css(\?|$)/, (route) => (failures-- > 0 ? route.abort() : route.continue()));
  await page.goto(`${host.url}/plain.html`);
  await page.locator('button.kefu-launcher').waitFor({ timeout: 30_000 });
  const width = await page.evaluate(() =>
    document.querySelector('kefu-widget').shadowRoot.querySelector('.kefu-launcher').getBoundingClientRect().width);
  assert.equal(width, 60, 'styled after the retry');

  failures = Infinity;
  await page.goto(`${host.url}/plain.html?n=2`);
  await page.evaluate(() => window.kefu.on('error', (e) => { window.__kefuError = e; }));
  const error = await page.waitForFunction(() => window.__kefuError, null, { timeout: 30_000 });
  assert.equal((await error.jsonValue()).code, 'widgetUnavailable');
  assert.equal(await page.locator('kefu-widget').count(), 0, 'nothing of the widget on the page');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true);

  // The stylesheet is back: the visitor's open() loads the widget after all.
  failures = 0;
  await page.evaluate(() => window.kefu.open());
  await page.locator('.kefu-window:not([hidden])').waitFor({ timeout: 30_000 });
  // The failed stylesheet's console warning and the aborted requests are expected.
  assert.deepEqual(errors.filter((e) => !/widget[-\w]*\.css|failed to load|ERR_FAILED/.test(e)), []);
});

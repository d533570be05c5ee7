// An upgrade while visitors are on host pages (issue 13): the server's assets dir holds
// the real build A; build B is published next to it (support/builds.mjs, the way
// `cargo xtask` publishes) while the server runs. A reload gets the new loader and
// B's files only, never a mix of A and B; a page that already ran A's loader before
// the upgrade still gets A's content-hashed files, and both widgets start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freePort, tempDataDir, cleanup } from './support/server.mjs';
import { openBrowser } from './support/browser.mjs';
import { startHost } from './support/host.mjs';
import { copyAssets, publishBuildB, removeAssets } from './support/builds.mjs';

/** Every widget file `page` requests from `server` (not the loader): [{ name, status }]. */
function widgetRequests(page, server) {
  const seen = [];
  const widget = (url) => url.origin === server && /^\/widget(\/|\.css)/.test(url.pathname);
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (widget(url)) seen.push({ name: url.pathname.split('/').pop(), status: response.status() });
  });
  page.on('requestfailed', (request) => {
    const url = new URL(request.url());
    if (widget(url)) seen.push({ name: url.pathname.split('/').pop(), status: 'failed' });
  });
  return seen;
}

const launcher = (page) => page.locator('button.kefu-launcher').waitFor({ timeout: 30_000 });
const buildOf = (page) => page.evaluate(() =>
  getComputedStyle(document.querySelector('kefu-widget')).getPropertyValue('--kefu-build').trim());
const names = (build) => [build.glue, build.wasm, build.css].sort();

test('after an upgrade a reload gets only the new build; a page that ran the old loader keeps the old one', async (t) => {
  const assets = copyAssets(process.env.KEFU_ASSETS_DIR);
  const dataDir = tempDataDir();
  const server = await startServer({ port: await freePort(), dataDir, env: { KEFU_ASSETS_DIR: assets } });
  const host = await startHost({ server: server.url });
  const browser = await openBrowser();
  t.after(async () => {
    await browser.close();
    await host.close();
    await server.stop();
    cleanup(dataDir);
    removeAssets(assets);
  });

  // A visitor on build A.
  const reloaded = browser.page;
  const first = widgetRequests(reloaded, server.url);
  await reloaded.goto(`${host.url}/plain.html`);
  await launcher(reloaded);

  // Another visitor's page ran A's loader; its `load` is held until after the upgrade.
  const held = await browser.context.newPage();
  held.on('pageerror', (e) => browser.errors.push(String(e)));
  const late = widgetRequests(held, server.url);
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await held.route('**/slow.svg', async (route) => {
    await released;
    await route.fulfill({ contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>' });
  });
  await held.goto(`${host.url}/held.html`, { waitUntil: 'domcontentloaded' });
  await held.waitForFunction(() => window.kefu && window.kefu.loader === 1);

  const { a, b } = publishBuildB(assets);
  assert.deepEqual(first.map((r) => r.name).sort(), names(a), 'build A loaded A');
  assert.ok(first.every((r) => r.status === 200), JSON.stringify(first));

  release();
  await launcher(held);
  assert.deepEqual(late.map((r) => r.name).sort(), names(a), 'the page that ran A’s loader got A’s files');
  assert.ok(late.every((r) => r.status === 200), JSON.stringify(late));
  assert.equal(await buildOf(held), '', 'A’s stylesheet');

  first.length = 0;
  await reloaded.reload();
  await launcher(reloaded);
  assert.deepEqual(first.map((r) => r.name).sort(), names(b), 'after the reload: B’s files, none of A’s');
  assert.ok(first.every((r) => r.status === 200), JSON.stringify(first));
  assert.equal(await buildOf(reloaded), 'B', 'B’s stylesheet applies');
  // B's widget works, not only its files: the visitor can open it.
  await reloaded.locator('button.kefu-launcher').click();
  await reloaded.locator('.kefu-window:not([hidden])').waitFor({ timeout: 30_000 });
  assert.deepEqual(browser.errors, []);
});

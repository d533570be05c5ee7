// The loader's script attributes and the `window.kefu` API on a host page of another
// origin (issue 6): calls made before the widget exists are queued and replayed, the
// wasm waits for the host's `load` unless open() asked for it earlier, and show/hide,
// setLocale, reset, data-position, data-z-index and data-theme do what they say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openGuest, measure } from './support/guest.mjs';

/** When the wasm request started and when `load` fired (ms since navigation). */
const timing = (page) => page.evaluate(() => ({
  // The build's name is content-hashed: kefu-widget-<hash>_bg.wasm.
  wasm: performance.getEntriesByType('resource').find((e) => /\/kefu-widget[-\w]*_bg\.wasm$/.test(e.name))?.startTime,
  load: performance.getEntriesByType('navigation')[0].loadEventStart,
}));

async function sentMessage(page, text) {
  await page.locator('.kefu-msg--out[data-status="sent"]', { hasText: text }).waitFor({ timeout: 30_000 });
}

for (const [page, text, how] of [
  ['early.html', 'hello from the stub', 'a stub the page defined before the loader'],
  ['early-loader.html', 'hello before the wasm', "the loader's own queue"],
]) {
  test(`calls made before the widget loaded are replayed (${how})`, async (t) => {
    const { host, page: p, errors } = await openGuest(t);
    await p.goto(`${host.url}/${page}`, { waitUntil: 'commit' });
    await sentMessage(p, text);
    assert.equal(await p.locator('.kefu-window').getAttribute('hidden'), null, 'open() was replayed');
    await p.waitForFunction(() => document.readyState === 'complete');
    const { wasm, load } = await timing(p);
    assert.ok(wasm < load, `open() fetched the wasm at once (${wasm} ms), before load (${load} ms)`);
    assert.equal(await p.locator('.kefu-msg--out').count(), 1, 'sent exactly once');
    assert.deepEqual(errors, []);
  });
}

test('without an early open() the wasm is fetched only after the host page loaded', async (t) => {
  const { host, page, errors } = await openGuest(t);
  await page.goto(`${host.url}/plain.html`);
  await page.locator('button.kefu-launcher').waitFor({ timeout: 30_000 });
  const { wasm, load } = await timing(page);
  assert.ok(wasm >= load, `wasm at ${wasm} ms, load at ${load} ms`);
  assert.notEqual(await page.locator('.kefu-window').getAttribute('hidden'), null, 'closed');
  assert.deepEqual(errors, []);
});

test('data-open opens the window; show() and hide() show and hide the launcher', async (t) => {
  const { host, page, errors } = await openGuest(t);
  await page.goto(`${host.url}/plain.html?data-open=`);
  await page.locator('.kefu-window:not([hidden])').waitFor({ timeout: 30_000 });
  const launcher = page.locator('button.kefu-launcher');
  assert.ok(await launcher.isVisible());
  await page.evaluate(() => window.kefu.hide());
  await launcher.waitFor({ state: 'hidden' });
  await page.evaluate(() => { window.kefu.close(); window.kefu.show(); });
  await launcher.waitFor({ state: 'visible' });
  assert.notEqual(await page.locator('.kefu-window').getAttribute('hidden'), null, 'close() closed it');
  assert.deepEqual(errors, []);
});

test('setLocale switches the language; reset forgets the visitor', async (t) => {
  const { host, page, errors } = await openGuest(t);
  await page.goto(`${host.url}/plain.html?data-locale=en`);
  await page.locator('button.kefu-launcher[aria-label="Open chat"]').waitFor({ timeout: 30_000 });
  await page.evaluate(() => window.kefu.setLocale('zh-CN'));
  await page.locator('.kefu-app[lang="zh-CN"]').waitFor();
  assert.notEqual(await page.locator('button.kefu-launcher').getAttribute('aria-label'), 'Open chat');
  await page.evaluate(() => window.kefu.setLocale('en'));
  await page.locator('.kefu-app[lang="en"] button.kefu-launcher[aria-label="Open chat"]').waitFor();

  await page.evaluate(() => window.kefu.open());
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
  await page.evaluate(() => window.kefu.sendMessage('remember me?'));
  await sentMessage(page, 'remember me?');
  const token = () => page.evaluate(() => localStorage.getItem('kefu:demo:token'));
  const first = await token();
  assert.ok(first, 'a token was stored');

  await page.evaluate(() => window.kefu.reset());
  await page.waitForFunction((old) => {
    const now = localStorage.getItem('kefu:demo:token');
    return now && now !== old;
  }, first, { timeout: 15_000 });
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('.kefu-msg--out').count(), 0, 'the old conversation is gone');
  await page.reload();
  await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
  await page.waitForTimeout(500); // history, if any, has arrived
  assert.equal(await page.locator('.kefu-msg--out').count(), 0, 'a new visitor after a reload too');
  assert.deepEqual(errors, []);
});

test('data-position="left" and data-z-index place the widget', async (t) => {
  const { host, page, errors } = await openGuest(t);
  await page.goto(`${host.url}/plain.html?data-position=left&data-z-index=12345`);
  await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await page.locator('.kefu-window:not([hidden])').waitFor();
  const m = await measure(page, ['.kefu-app', '.kefu-launcher', '.kefu-window'], ['z-index']);
  assert.equal(m['.kefu-app'].style['z-index'], '12345');
  assert.equal(m['.kefu-launcher'].left, 20, 'launcher at the left edge, 20 px in');
  assert.equal(m['.kefu-window'].left, 20, 'window on the left too');

  // Right-to-left page, default position: logical properties put it on the left.
  await page.goto(`${host.url}/plain.html`);
  await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
  await page.locator('button.kefu-launcher').waitFor({ timeout: 30_000 });
  const rtl = await measure(page, ['.kefu-launcher'], ['direction']);
  assert.equal(rtl['.kefu-launcher'].style.direction, 'rtl');
  assert.equal(rtl['.kefu-launcher'].left, 20, 'RTL mirrors the default (inline-end) corner');
  assert.deepEqual(errors, []);
});

const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(23, 25, 28)';

for (const [attrs, scheme, bg] of [
  ['data-theme=dark', 'light', DARK_BG],
  ['data-theme=light', 'dark', LIGHT_BG],
  ['', 'dark', DARK_BG],
  ['data-theme=auto', 'light', LIGHT_BG],
]) {
  test(`theme: ${attrs || 'no data-theme'} on a ${scheme} system gives the ${bg === DARK_BG ? 'dark' : 'light'} palette`, async (t) => {
    const { host, page, errors } = await openGuest(t, { browserOptions: { colorScheme: scheme } });
    await page.goto(`${host.url}/plain.html?${attrs}`);
    await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
    await page.locator('.kefu-window:not([hidden])').waitFor();
    const m = await measure(page, ['.kefu-app', '.kefu-window', '.kefu-input'], ['background-color', 'color-scheme']);
    assert.equal(m['.kefu-window'].style['background-color'], bg);
    assert.equal(m['.kefu-input'].style['background-color'], bg);
    assert.equal(m['.kefu-app'].style['color-scheme'], bg === DARK_BG ? 'dark' : 'light', 'native scrollbars follow');
    assert.deepEqual(errors, []);
  });
}

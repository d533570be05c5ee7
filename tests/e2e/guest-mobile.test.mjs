// A phone-sized viewport (issue 6): below 480 px the open window takes the whole
// screen, the launcher steps aside, and no text field is under 16 px (iOS would zoom).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openGuest, measure } from './support/guest.mjs';

test('375 × 667: the open window is full screen and its fields never trigger zoom', async (t) => {
  const { host, page, errors } = await openGuest(t, {
    browserOptions: { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  });
  await page.goto(`${host.url}/plain.html`);
  const launcher = page.locator('button.kefu-launcher');
  await launcher.tap({ timeout: 30_000 });
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });

  const m = await measure(page, ['.kefu-window', '.kefu-composer', '.kefu-input'], ['font-size']);
  assert.deepEqual(
    [m['.kefu-window'].left, m['.kefu-window'].top, m['.kefu-window'].width, m['.kefu-window'].height],
    [0, 0, 375, 667], 'the window covers the screen');
  assert.ok(m['.kefu-composer'].bottom <= 667 && m['.kefu-composer'].top > 300, 'the composer is at the bottom, on screen');
  assert.ok(parseFloat(m['.kefu-input'].style['font-size']) >= 16, `input font-size ${m['.kefu-input'].style['font-size']}`);
  assert.ok(!(await launcher.isVisible()), 'the launcher steps aside while the window is open');

  // Every text field the widget can show is at least 16 px.
  const small = await page.evaluate(() => [...document.querySelector('kefu-widget').shadowRoot.querySelectorAll('input, textarea, select')]
    .map((el) => [el.className, parseFloat(getComputedStyle(el).fontSize)]).filter(([, px]) => px < 16));
  assert.deepEqual(small, []);

  await page.locator('textarea.kefu-input').fill('hello from a phone');
  await page.locator('button.kefu-send').tap();
  await page.locator('.kefu-msg--out[data-status="sent"]').waitFor({ timeout: 15_000 });
  await page.locator('button.kefu-close').tap();
  await launcher.waitFor({ state: 'visible' });
  const closed = await measure(page, ['.kefu-launcher']);
  assert.equal(closed['.kefu-launcher'].right, 375 - 20, 'back in its corner');
  assert.deepEqual(errors, []);
});

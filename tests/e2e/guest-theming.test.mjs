// Theming from the host page (issue 6): the documented custom properties and
// ::part() names reach inside the shadow root, and static/theming.html changes the
// embedded widget live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openGuest, measure } from './support/guest.mjs';

test('custom properties and ::part() from the host page theme the widget', async (t) => {
  const { host, page, errors } = await openGuest(t);
  await page.goto(`${host.url}/plain.html`);
  await page.addStyleTag({ content: `
    kefu-widget { --kefu-primary: rgb(10, 125, 90); --kefu-radius: 4px; --kefu-launcher-size: 72px;
                  --kefu-font: Georgia, serif; --kefu-bubble-out-bg: rgb(1, 2, 3); --kefu-z-index: 77; }
    kefu-widget::part(launcher) { border-radius: 12px; }
    kefu-widget::part(header) { text-transform: uppercase; }
    kefu-widget::part(input) { border-color: rgb(200, 0, 0); }` });
  await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
  await page.locator('textarea.kefu-input').fill('themed');
  await page.locator('button.kefu-send').click();
  await page.locator('.kefu-msg--out[data-status="sent"]').waitFor({ timeout: 15_000 });
  const m = await measure(page, ['.kefu-app', '.kefu-launcher', '.kefu-window', '.kefu-header', '.kefu-input', '.kefu-msg--out .kefu-bubble'],
    ['background-color', 'border-top-left-radius', 'font-family', 'text-transform', 'border-top-color', 'z-index']);
  assert.equal(m['.kefu-launcher'].style['background-color'], 'rgb(10, 125, 90)');
  assert.equal(m['.kefu-launcher'].width, 72);
  assert.equal(m['.kefu-launcher'].style['border-top-left-radius'], '12px', '::part(launcher)');
  assert.equal(m['.kefu-window'].style['border-top-left-radius'], '4px');
  assert.equal(m['.kefu-header'].style['text-transform'], 'uppercase', '::part(header)');
  assert.equal(m['.kefu-input'].style['border-top-color'], 'rgb(200, 0, 0)', '::part(input)');
  assert.equal(m['.kefu-msg--out .kefu-bubble'].style['background-color'], 'rgb(1, 2, 3)');
  assert.match(m['.kefu-app'].style['font-family'], /Georgia/);
  assert.equal(m['.kefu-app'].style['z-index'], '77');
  assert.deepEqual(errors, []);
});

test('the theming page changes the embedded widget live', async (t) => {
  const { server, page, errors } = await openGuest(t);
  await page.goto(`${server.url}/theming.html`);
  await page.locator('.kefu-window:not([hidden])').waitFor({ timeout: 30_000 }); // data-open
  await page.locator('input[data-var="--kefu-primary"]').fill('#aa3300');
  await page.locator('input[data-var="--kefu-launcher-size"]').fill('80');
  await page.locator('#square').check();
  await page.locator('select[data-attr="data-theme"]').selectOption('dark');
  await page.locator('select[data-attr="data-position"]').selectOption('left');
  const m = await measure(page, ['.kefu-launcher', '.kefu-window', '.kefu-header'], ['background-color', 'border-top-left-radius']);
  assert.equal(m['.kefu-header'].style['background-color'], 'rgb(170, 51, 0)');
  assert.equal(m['.kefu-launcher'].width, 80);
  assert.equal(m['.kefu-launcher'].style['border-top-left-radius'], '14px');
  assert.equal(m['.kefu-window'].style['background-color'], 'rgb(23, 25, 28)', 'dark palette');
  assert.equal(m['.kefu-launcher'].left, 20, 'moved to the left');
  const css = await page.locator('#css').textContent();
  assert.match(css, /--kefu-primary: #aa3300;/);
  assert.match(css, /--kefu-launcher-size: 80px;/);
  assert.match(css, /::part\(launcher\)/);
  assert.match(css, /data-theme="dark" data-position="left"/);
  await page.locator('#locale').selectOption('zh-CN');
  await page.locator('.kefu-app[lang="zh-CN"]').waitFor();
  await page.locator('#launcher').uncheck();
  await page.locator('button.kefu-launcher').waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
});

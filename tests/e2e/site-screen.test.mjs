// The site screen in real browsers: the demo site's owner copies the install
// snippet and the CSP lines from the console into a page on another origin
// (served here with exactly that policy), where a visitor chats with the bot;
// then edits the settings (name, allowed origins, automatic assignment, cap,
// identity secret), which survive a reload, and a bad origin is refused in the
// server's words beside its field; the e-mail notifications and the retention period;
// the widget's colour and side, previewed, then on the shop's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { admin, DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn } from './support/console.mjs';

/** A shop's page on its own origin: the snippet in the body, the CSP lines in a policy. */
async function shopPage(t, snippet, cspLines) {
  const policy = `default-src 'self'; ${cspLines.replace(/\n/g, ' ')}`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>A shop</h1>${snippet}</body></html>`;
  const http = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy });
    res.end(html);
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => http.close(resolve)));
  return `http://127.0.0.1:${http.address().port}`;
}

test('the owner installs the widget from the snippet and edits the site settings', async (t) => {
  const { server, open } = await world(t);
  const [a, v] = [await open(), await open()];
  const owner = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  await owner.locator('button.kc-site-open').click();
  const snippet = (await owner.locator('pre.kc-site-snippet').textContent()).trim();
  assert.equal(snippet, `<script async src="${server.url}/widget-loader.js" data-site="demo"></script>`);
  const csp = (await owner.locator('pre.kc-site-csp').textContent()).trim();
  assert.match(csp, new RegExp(`connect-src 'self' ${server.url} ${server.url.replace('http', 'ws')};`));

  // The snippet and the CSP lines, as copied, work on another origin.
  const shop = await shopPage(t, snippet, csp);
  const visitor = v.page;
  await visitor.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
  });
  await visitor.goto(`${shop}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  await visitor.locator('textarea.kefu-input').fill('How long does shipping take?');
  await visitor.locator('button.kefu-send').click();
  await visitor.locator('.kefu-msg[data-sub="repository"]').waitFor({ timeout: 15_000 });
  assert.deepEqual(await visitor.evaluate(() => window.__violations), []);

  // The settings: the form shows what is saved.
  const form = owner.locator('form.kc-site-form');
  assert.equal(await form.locator('input[name="name"]').inputValue(), 'Kefu Demo Store');
  assert.equal(await form.locator('input[name="autoAssign"]').isChecked(), false);
  assert.equal(await owner.locator('.kc-site-secret').getAttribute('data-set'), 'false');

  // A bad origin: refused in the server's words beside the field, nothing saved.
  await form.locator('textarea[name="allowedOrigins"]').fill('not an origin');
  await form.locator('button.kc-site-save').click();
  await form.locator('.kc-field-error[data-field="allowedOrigins"]', { hasText: 'is not an origin' }).waitFor();
  assert.equal(await form.locator('textarea[name="allowedOrigins"]').getAttribute('aria-invalid'), 'true');

  // A good save: every field, then a reload shows them.
  await form.locator('input[name="name"]').fill('Kefu Demo Shop');
  await form.locator('textarea[name="allowedOrigins"]').fill(`${shop}\n${server.url}`);
  await form.locator('input[name="autoAssign"]').check();
  await form.locator('input[name="maxActivePerAgent"]').fill('3');
  await form.locator('input[name="identitySecret"]').fill('a-long-identity-secret');
  await form.locator('button.kc-site-save').click();
  await owner.locator('.kc-site-saved').waitFor();
  assert.equal(await owner.locator('.kc-site-secret').getAttribute('data-set'), 'true');
  await owner.reload();
  await owner.locator('button.kc-site-open').click();
  const again = owner.locator('form.kc-site-form');
  await again.waitFor();
  assert.equal(await again.locator('input[name="name"]').inputValue(), 'Kefu Demo Shop');
  assert.equal(await again.locator('textarea[name="allowedOrigins"]').inputValue(), `${shop}\n${server.url}`);
  assert.equal(await again.locator('input[name="autoAssign"]').isChecked(), true);
  assert.equal(await again.locator('input[name="maxActivePerAgent"]').inputValue(), '3');
  assert.equal(await again.locator('input[name="identitySecret"]').inputValue(), '', 'never shown back');

  // Who is told by e-mail, and how long conversations are kept: a bad address is
  // named beside its field; good ones are saved and read back.
  const notify = again.locator('fieldset.kc-site-notify');
  await notify.locator('textarea[name="notifyEmails"]').fill('owner@shop.example\nnot an address');
  await again.locator('button.kc-site-save').click();
  await notify.locator('.kc-field-error[data-field="notifications.emails"]', { hasText: 'not an address' }).waitFor();
  await notify.locator('textarea[name="notifyEmails"]').fill('owner@shop.example\nsupport@shop.example');
  await notify.locator('input[name="queueWaitMinutes"]').fill('10');
  await notify.locator('input[name="transcripts"]').check();
  await notify.locator('input[name="retentionDays"]').fill('90');
  await again.locator('button.kc-site-save').click();
  await owner.locator('.kc-site-saved').waitFor();
  const stored = await admin(server.url, 'GET', '/sites/demo');
  assert.deepEqual(stored.notifications,
    { emails: ['owner@shop.example', 'support@shop.example'], queueWaitMinutes: 10, transcripts: true });
  assert.equal(stored.retentionDays, 90);
  await owner.reload();
  await owner.locator('button.kc-site-open').click();
  await again.waitFor();
  assert.equal(await notify.locator('textarea[name="notifyEmails"]').inputValue(), 'owner@shop.example\nsupport@shop.example');
  assert.equal(await notify.locator('input[name="queueWaitMinutes"]').inputValue(), '10');
  assert.equal(await notify.locator('input[name="transcripts"]').isChecked(), true);
  assert.equal(await notify.locator('input[name="retentionDays"]').inputValue(), '90');

  // The widget's look: a colour and the left side, previewed as they are picked,
  // then on the shop's page for a new visitor (the tag says no side).
  const look = again.locator('fieldset.kc-site-look');
  const launcher = look.locator('.kc-site-preview .kc-preview-launcher');
  const background = (el) => el.evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(await background(launcher), 'rgb(47, 91, 234)', "Kefu's colour first");
  await look.locator('input[name="primary"]').fill('#0a7d5a');
  await look.locator('select[name="position"]').selectOption('left');
  await look.locator('.kc-site-preview[data-position="left"]').waitFor();
  assert.equal(await background(launcher), 'rgb(10, 125, 90)');
  assert.equal(
    await look.locator('.kc-preview-header').evaluate((e) => getComputedStyle(e).color),
    'rgb(255, 255, 255)', 'white text on the dark green');
  await again.locator('button.kc-site-save').click();
  await owner.locator('.kc-site-saved').waitFor();
  const fresh = await open();
  const page = fresh.page;
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
  });
  await page.goto(`${shop}/`);
  const themed = page.locator('button.kefu-launcher');
  await themed.waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => {
    const b = document.querySelector('kefu-widget').shadowRoot.querySelector('button.kefu-launcher');
    return getComputedStyle(b).backgroundColor === 'rgb(10, 125, 90)';
  });
  const box = await themed.boundingBox();
  assert.ok(box.x + box.width < page.viewportSize().width / 2, `on the left: ${JSON.stringify(box)}`);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(await admin(server.url, 'GET', '/sites/demo').then((site) => site.look),
    { primary: '#0a7d5a', position: 'left' });

  // The secret removed.
  await owner.locator('button.kc-site-secret-remove').click();
  await owner.locator('.kc-site-secret[data-set="false"]').waitFor();
  // The refused save is logged by Chromium as a failed resource; nothing else.
  assert.deepEqual(a.errors.filter((e) => !/WebSocket|net::|Notification|Failed to load resource/.test(e)), []);
});

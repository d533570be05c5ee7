// kefu.setUser / kefu.setAttributes in real browsers: the host page tells who the
// visitor is (with the identity hash made server-side from the site's secret), the
// agent's visitor panel shows the user, the verified badge and the attributes as
// text; a later call (wrong hash, new attributes) replaces them, pushed live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { admin, startServer, freePort, tempDataDir, cleanup, DEMO_PASSWORD } from './support/server.mjs';
import { openBrowser } from './support/browser.mjs';

const SECRET = 'e2e-identity-secret';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';


async function signIn(browser, baseUrl, username, password) {
  const { page } = browser;
  await page.goto(`${baseUrl}/console/`);
  const form = page.locator('form.kc-login');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
  await page.locator('button.kc-tab[data-tab="queue"]').waitFor({ timeout: 30_000 });
  return page;
}

const noErrors = (errors) => errors.filter((e) => !/WebSocket|net::|Notification/.test(e));

test('setUser and setAttributes reach the agent panel: verified, as text, replaced live', async (t) => {
  const dataDir = tempDataDir();
  const server = await startServer({ port: await freePort(), dataDir });
  const browsers = [];
  t.after(async () => {
    for (const b of browsers) await b.close();
    await server.stop();
    cleanup(dataDir);
  });
  await admin(server.url, 'PUT', '/sites/demo', {
    name: 'Kefu Demo Store',
    autoAssign: false,
    identitySecret: SECRET,
  });
  const site = await admin(server.url, 'GET', '/sites/demo');
  assert.ok(!JSON.stringify(site).includes(SECRET), 'the secret is never shown back');

  const [a, v] = [await openBrowser(), await openBrowser()];
  browsers.push(a, v);
  const agent = await signIn(a, server.url, 'demo', DEMO_PASSWORD);

  // The host page identifies its signed-in user; the hash is made on its server.
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  const hash = createHmac('sha256', SECRET).update('u_1024').digest('hex');
  await visitor.evaluate(([hash, hostile]) => {
    window.kefu.setUser({ id: 'u_1024', name: 'Mei Chen', email: 'mei@example.com', hash });
    window.kefu.setAttributes({ plan: 'pro', orders: 3, vip: true, note: hostile, nested: { a: 1 } });
  }, [hash, HOSTILE]);

  await visitor.locator('button.kefu-human').click();
  await visitor.locator('.kefu-queue').waitFor();
  await agent.locator('button.kc-tab[data-tab="queue"]').click();
  const row = agent.locator('.kc-conv').first();
  await row.waitFor();
  await row.click();

  const panel = agent.locator('.kc-visitor');
  await panel.locator('[data-field="user-name"]', { hasText: 'Mei Chen' }).waitFor();
  assert.equal((await panel.locator('[data-field="user-email"]').textContent()).trim(), 'mei@example.com');
  assert.equal(await panel.locator('[data-field="user-email"] a').count(), 0, 'e-mail is plain text');
  assert.equal(await panel.locator('[data-field="user-verified"]').getAttribute('data-verified'), 'true');
  const attrs = panel.locator('.kc-visitor-attributes');
  assert.equal((await attrs.locator('[data-key="plan"]').textContent()).trim(), 'pro');
  assert.equal((await attrs.locator('[data-key="orders"]').textContent()).trim(), '3');
  assert.equal((await attrs.locator('[data-key="vip"]').textContent()).trim(), 'true');
  assert.equal((await attrs.locator('[data-key="note"]').textContent()).trim(), HOSTILE);
  assert.equal(await attrs.locator('[data-key="nested"]').count(), 0, 'non-flat values dropped');
  assert.equal(await panel.locator('img').count(), 0, 'hostile text is never HTML');
  assert.equal(await agent.evaluate(() => window.__pwned), undefined);

  // A later call replaces, and the open panel follows (pushed `visitor`).
  await visitor.evaluate(() => {
    window.kefu.setUser({ id: 'u_1024', name: 'Mei C.', hash: 'not-the-hash' });
    window.kefu.setAttributes({ plan: 'enterprise' });
  });
  await panel.locator('[data-field="user-name"]', { hasText: 'Mei C.' }).waitFor();
  await panel.locator('[data-field="user-verified"][data-verified="false"]').waitFor();
  await attrs.locator('[data-key="plan"]', { hasText: 'enterprise' }).waitFor();
  assert.equal(await attrs.locator('[data-key="orders"]').count(), 0);

  // Another page of the site calls the API through a stub defined before the
  // loader: the loader queues the calls and replays them on the widget's handle.
  await visitor.addInitScript(() => {
    window.kefu = { q: [['setAttributes', [{ plan: 'enterprise', seats: 12 }]]] };
  });
  await visitor.reload();
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await attrs.locator('[data-key="seats"]', { hasText: '12' }).waitFor();
  const missing = await visitor.evaluate(() =>
    ['setUser', 'setAttributes'].filter((m) => typeof window.kefu.handle[m] !== 'function'));
  assert.deepEqual(missing, [], 'the handle has every method the loader queues');

  for (const [who, br] of [['agent', a], ['visitor', v]]) {
    assert.deepEqual(noErrors(br.errors), [], `no page errors for ${who}`);
  }
});

// The team screen in real browsers: the site's owner (the demo agent) manages
// the team from the console while agent B (Mei) works in another Chromium. B
// has no team tab; the owner adds an agent, gives a role, makes B a new
// password (B is signed out at once and signs in with it), disables B while B
// serves a visitor (signed out, refused with a clear message; the visitor is
// handed back to the queue), enables B again, and deletes the new agent. Then
// the owner renames B and gives her the categories she takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, admin } from './support/server.mjs';
import { world, signIn, B_PASSWORD } from './support/console.mjs';

const row = (page, username) => page.locator(`li.kc-member[data-username="${username}"]`);
// Refused requests (the 403 of a disabled sign-in) are logged by Chromium.
const noErrors = (errors) =>
  errors.filter((e) => !/WebSocket|net::|Notification|Failed to load resource/.test(e));

async function signInFails(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/console/`);
  await page.locator('form.kc-login input[name="username"]').fill(username);
  await page.locator('form.kc-login input[name="password"]').fill(password);
  await page.locator('form.kc-login button[type="submit"]').click();
  const error = page.locator('.kc-login-error');
  await error.waitFor();
  return (await error.textContent()).trim();
}

test('the owner manages the team from the console: add, role, new password, disable, delete', async (t) => {
  const { server, open, visitor } = await world(t);
  const [a, b] = [await open(), await open()];
  const owner = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  const mei = await signIn(b, server.url, 'mei', B_PASSWORD);

  // Only owners and admins get the team screen's button.
  const teamButton = owner.locator('button.kc-team-open');
  await teamButton.waitFor();
  await mei.locator('header.kc-header[data-team-role="agent"]').waitFor();
  assert.equal(await mei.locator('button.kc-team-open').count(), 0);
  await owner.locator('header.kc-header[data-team-role="owner"]').waitFor();

  await teamButton.click();
  assert.equal(await teamButton.getAttribute('aria-pressed'), 'true');
  await row(owner, 'demo').waitFor();
  assert.equal(await row(owner, 'demo').locator('select.kc-member-role').inputValue(), 'owner');
  assert.equal(await row(owner, 'mei').locator('.kc-member-presence').getAttribute('data-presence'), 'online');

  // Add an agent, then make them an admin.
  const form = owner.locator('form.kc-team-add');
  await form.locator('input[name="username"]').fill('wu');
  await form.locator('input[name="name"]').fill('Wu Fang');
  await form.locator('input[name="password"]').fill('wu-first-password');
  await form.locator('button[type="submit"]').click();
  await row(owner, 'wu').waitFor();
  assert.match(await row(owner, 'wu').textContent(), /Wu Fang/);
  await row(owner, 'wu').locator('select.kc-member-role').selectOption('admin');
  await owner.waitForFunction(() =>
    document.querySelector('li.kc-member[data-username="wu"] select.kc-member-role')?.value === 'admin'
    && document.querySelector('section.kc-team')?.getAttribute('aria-busy') === 'false');

  // A new password for Mei: shown once, Mei's console is signed out at once,
  // and only the new password signs her in.
  await row(owner, 'mei').locator('button.kc-member-password').click();
  const shown = owner.locator('.kc-team-password code');
  await shown.waitFor();
  const password = (await shown.textContent()).trim();
  assert.match(password, /^[A-Za-z0-9]{16,}$/);
  await mei.locator('form.kc-login').waitFor({ timeout: 15_000 });
  assert.notEqual(await signInFails(mei, server.url, 'mei', B_PASSWORD), '');
  await signIn(b, server.url, 'mei', password);
  await owner.locator('button.kc-team-password-dismiss').click();
  assert.equal(await owner.locator('.kc-team-password').count(), 0);

  // Mei serves a visitor.
  const v = await visitor();
  await v.requestHuman();
  await mei.locator('button.kc-tab[data-tab="queue"]').click();
  await mei.locator(`.kc-conv[data-conversation-id="${v.conversationID}"]`).click();
  await mei.locator(`.kc-pane[data-conversation-id="${v.conversationID}"] button.kc-accept`).click();
  await v.next((f) => f.type === 'session' && f.session.state === 'serving');
  await mei.locator('textarea.kc-input').fill('Mei here, one moment.');
  await mei.locator('textarea.kc-input').press('Enter');
  await v.next((f) => f.type === 'message' && JSON.stringify(f.message).includes('Mei here, one moment.'));

  // Disabled mid-chat: signed out at once, told why when signing in again,
  // and the visitor is handed back to the queue, where the owner sees them.
  await row(owner, 'mei').locator('button.kc-member-disable').click();
  await row(owner, 'mei').locator('button.kc-member-enable').waitFor();
  await mei.locator('form.kc-login').waitFor({ timeout: 15_000 });
  await v.next((f) => f.type === 'session' && f.session.state === 'queued');
  await owner.locator('button.kc-tab[data-tab="queue"]').click();
  await owner.locator(`.kc-conv[data-conversation-id="${v.conversationID}"]`).waitFor();
  assert.match(await signInFails(mei, server.url, 'mei', password), /disabled/);
  await teamButton.click();
  await row(owner, 'mei').locator('button.kc-member-enable').click();
  await row(owner, 'mei').locator('button.kc-member-disable').waitFor();
  await signIn(b, server.url, 'mei', password);

  // Deleted (after the confirmation): gone from the list.
  owner.once('dialog', (d) => d.accept());
  await row(owner, 'wu').locator('button.kc-member-delete').click();
  await row(owner, 'wu').waitFor({ state: 'detached' });
  assert.deepEqual(noErrors(a.errors), []);
  assert.deepEqual(noErrors(b.errors), []);
});

test('the owner renames an agent and gives her the categories she takes', async (t) => {
  const { server, open } = await world(t);
  const [a] = [await open()];
  await admin(server.url, 'PUT', '/sites/demo', {
    name: 'Kefu Demo Store',
    categories: [{ id: 'sales', name: 'Sales' }, { id: 'repairs', name: 'Repairs' }],
  });
  const owner = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  await owner.locator('button.kc-team-open').click();
  const mei = row(owner, 'mei');
  await mei.locator('details.kc-member-edit summary').click();
  const form = mei.locator('form.kc-member-form');
  assert.equal(await form.locator('input[name="name"]').inputValue(), 'Mei');
  // Every site category is offered; none ticked: she takes every visitor.
  assert.deepEqual(
    await form.locator('input[name="category"]').evaluateAll((boxes) => boxes.map((b) => [b.value, b.checked])),
    [['sales', false], ['repairs', false]],
  );
  await form.locator('input[name="name"]').fill('Mei Lin');
  await form.locator('input[name="category"][value="repairs"]').check();
  await form.locator('button.kc-member-save').click();
  await mei.locator('.kc-member-name', { hasText: 'Mei Lin' }).waitFor();
  await mei.locator('details.kc-member-edit:not([open])').waitFor();
  const saved = await admin(server.url, 'GET', '/sites/demo/agents/mei');
  assert.equal(saved.name, 'Mei Lin');
  assert.deepEqual(saved.categories, ['repairs']);
  // Opened again, the form shows what is saved; untick: every visitor again.
  await mei.locator('details.kc-member-edit summary').click();
  assert.equal(await form.locator('input[name="category"][value="repairs"]').isChecked(), true);
  await form.locator('input[name="category"][value="repairs"]').uncheck();
  await form.locator('button.kc-member-save').click();
  // Saved: the list comes back with it and the form is filled again, closed.
  await mei.locator('details.kc-member-edit:not([open])').waitFor();
  assert.equal((await admin(server.url, 'GET', '/sites/demo/agents/mei')).categories, undefined);
  // An empty name is refused in the form; nothing changes.
  await mei.locator('details.kc-member-edit summary').click();
  await form.locator('input[name="name"]').fill('');
  await form.locator('button.kc-member-save').click();
  assert.equal((await admin(server.url, 'GET', '/sites/demo/agents/mei')).name, 'Mei Lin');
  assert.deepEqual(noErrors(a.errors), []);
});

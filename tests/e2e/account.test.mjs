// The account screen in real browsers: agent Mei, signed in on two devices,
// changes her own password on one. A wrong current password and two different
// new ones are refused on the screen; the change keeps this device working
// (its socket is refused with the old token and comes back with the new one:
// a visitor who then asks for a human shows up in its queue) and signs the
// other device out. The new password signs in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { world, signIn, B_PASSWORD } from './support/console.mjs';

const NEW_PASSWORD = 'mei-new-password-2';

async function changePassword(page, current, next, repeat = next) {
  const form = page.locator('form.kc-account-password');
  await form.locator('input[name="current"]').fill(current);
  await form.locator('input[name="new"]').fill(next);
  await form.locator('input[name="repeat"]').fill(repeat);
  await form.locator('button.kc-account-change').click();
}

test('an agent changes her own password: this device stays, the other is signed out', async (t) => {
  const { server, open, visitor } = await world(t);
  const [a, b, c] = [await open(), await open(), await open()];
  const mei = await signIn(a, server.url, 'mei', B_PASSWORD);
  const other = await signIn(b, server.url, 'mei', B_PASSWORD);

  // Every agent has the account screen.
  await mei.locator('button.kc-account-open').click();
  await mei.locator('section.kc-account .kc-account-name', { hasText: 'Mei' }).waitFor();

  // Refused here, then by the server; nothing changes.
  await changePassword(mei, B_PASSWORD, NEW_PASSWORD, 'something-else-9');
  await mei.locator('.kc-account-error', { hasText: 'The two new passwords differ.' }).waitFor();
  await changePassword(mei, 'not-the-password', NEW_PASSWORD);
  await mei.locator('.kc-account-error', { hasText: 'The current password is wrong.' }).waitFor();
  await mei.locator('section.kc-account[aria-busy="false"]').waitFor();

  // The change.
  await changePassword(mei, B_PASSWORD, NEW_PASSWORD);
  await mei.locator('.kc-account-saved').waitFor();
  assert.equal(await mei.locator('.kc-account-error').count(), 0);
  // The other device is signed out; this one is back online with the new token.
  await other.locator('form.kc-login').waitFor();
  await mei.locator('.kc-conn').waitFor({ state: 'detached' });
  assert.equal(await mei.locator('form.kc-login').count(), 0);
  const v = await visitor();
  await v.requestHuman();
  await mei.locator('button.kc-tab[data-tab="queue"]').click();
  await mei.locator(`.kc-conv[data-conversation-id="${v.conversationID}"]`).waitFor();
  // A reload keeps the session (the new token was stored).
  await mei.reload();
  await mei.locator('button.kc-tab[data-tab="queue"]').waitFor({ timeout: 30_000 });

  // The new password signs in. (The old one's refusal is the server's test:
  // here every attempt counts against the sign-in throttle's 5 a minute.)
  await signIn(c, server.url, 'mei', NEW_PASSWORD);
  for (const br of [a, c]) {
    assert.deepEqual(br.errors.filter((e) => !/WebSocket|net::|Notification|Failed to load resource/.test(e)), []);
  }
});

// The agent console laid out in real Chromium at 1280×800: every text a person
// or a host page chose, 200 characters without a space (agent names, the
// visitor's user and attributes, a left message's name, contact and text, a
// transfer note, a canned reply, a message preview; a 60-character category
// name), wraps or is cut with an
// ellipsis (the whole in its title): neither the page nor any panel scrolls
// sideways, and "Dismiss" stays on screen. Also: the tab bar is one row, the
// composer's buttons are SVG icons (no emoji a font may lack), the inbox badge
// counts only unseen left messages, a transferred chat is unread only from the
// transfer, and a rated chat offers no "Invite rating".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn, B_PASSWORD } from './support/console.mjs';

const W = 'W'.repeat(200);
const VIEWPORT = { width: 1280, height: 800 };
const PANELS = ['.kc-header', '.kc-notes', '.kc-side', '.kc-tabs', '.kc-list', '.kc-main', '.kc-pane-head',
  '.kc-messages', '.kc-visitor', '.kc-inbox', '.kc-left', '.kc-canned', '.kc-canned-row', '.kc-composer',
  '.kc-transfer-form', '.kc-canned-menu', '.kc-transfer-note'];

/** What scrolls sideways: the page, or a panel whose content is wider than it. */
async function overflows(page) {
  await page.waitForTimeout(100);
  return page.evaluate((panels) => {
    const out = [];
    const doc = document.scrollingElement;
    if (doc.scrollWidth > innerWidth) out.push(`page: ${doc.scrollWidth} > ${innerWidth}`);
    for (const sel of panels) {
      for (const el of document.querySelectorAll(sel)) {
        if (el.scrollWidth > el.clientWidth + 1) out.push(`${sel}: ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    for (const el of document.querySelectorAll('button')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > innerWidth + 1) out.push(`button "${el.textContent.slice(0, 20)}" ends at ${r.right}`);
    }
    return out;
  }, PANELS);
}

/** Whether an ellipsised element shows its whole text in its title. */
async function titled(page, selector) {
  return page.locator(selector).first().evaluate((el) => el.title === el.textContent);
}

test('200-character words wrap or are cut with an ellipsis: nothing scrolls sideways at 1280 px', async (t) => {
  const { server, open, visitor } = await world(t, { bName: 'B'.repeat(200) });
  await admin(server.url, 'POST', '/sites/demo/agents', { username: 'long', name: W, password: B_PASSWORD });
  const category = { id: 'long', name: 'C'.repeat(60) };
  await admin(server.url, 'PUT', '/sites/demo', { name: 'Kefu Demo Store', autoAssign: false, categories: [category] });
  const [a, b] = [await open({ viewport: VIEWPORT }), await open({ viewport: VIEWPORT })];
  const pageA = await signIn(a, server.url, 'long', B_PASSWORD);
  const pageB = await signIn(b, server.url, 'mei', B_PASSWORD);
  assert.deepEqual(await overflows(pageA), [], 'signed in, a long agent name in the header');
  assert.ok(await titled(pageA, '.kc-me'));

  const leaver = await visitor();
  await leaver.leaveMessage(W, W, `${W} ${W}`);
  const v = await visitor();
  const key = 'K'.repeat(40);
  v.send({ type: 'identify', user: { id: W, name: W, email: W }, attributes: { [key]: W } });
  await v.say(W);
  await v.requestHuman(category.id);

  await pageA.locator('button.kc-tab[data-tab="queue"]').click();
  await pageA.locator('.kc-conv .kc-category', { hasText: category.name }).waitFor();
  assert.ok(await titled(pageA, '.kc-conv .kc-category'));
  const row = pageA.locator('.kc-conv').first();
  await row.locator('.kc-conv-last', { hasText: 'Joined the queue' }).waitFor();
  await row.click();
  await pageA.locator(`.kc-visitor [data-key="${key}"]`).waitFor();
  await pageA.locator('.kc-visitor [data-field="user-email"]', { hasText: W }).waitFor();
  await pageA.locator('.kc-pane .kefu-text', { hasText: W }).waitFor();
  assert.deepEqual(await overflows(pageA), [], 'a queued visitor with long user fields and attributes');

  await pageA.locator('.kc-pane button.kc-accept').click();
  await pageA.locator('textarea.kc-input').fill(W);
  await pageA.locator('button.kc-send').click();
  await pageA.locator('.kefu-msg--out[data-status="sent"]').waitFor();
  await v.say(`V${W}`);
  await pageA.locator('.kc-conv .kc-conv-last', { hasText: `V${W.slice(1, 140)}` }).waitFor();
  assert.ok(await titled(pageA, '.kc-conv-last'), 'the preview is whole in its title');
  assert.deepEqual(await overflows(pageA), [], 'serving, long messages both ways and a long preview');

  await pageA.locator('button.kc-transfer').click();
  await pageA.locator('form.kc-transfer-form select[name="agent"] option').first().waitFor({ state: 'attached' });
  assert.deepEqual(await overflows(pageA), [], 'the transfer form listing an agent with a long name');

  // A canned reply with the longest shortcut and a long word, in its tab and the `/` menu.
  await pageA.locator('button.kc-tab[data-tab="canned"]').click();
  const form = pageA.locator('form.kc-canned-form');
  const shortcut = 's'.repeat(32);
  await form.locator('input[name="shortcut"]').fill(shortcut);
  await form.locator('textarea[name="text"]').fill(W);
  await form.locator('button[type="submit"]').click();
  await pageA.locator('.kc-canned-row', { hasText: shortcut }).waitFor();
  assert.deepEqual(await overflows(pageA), [], 'canned replies');
  await pageA.locator('button.kc-tab[data-tab="mine"]').click();
  await pageA.locator('.kc-conv').first().click();
  await pageA.locator('textarea.kc-input').fill('');
  await pageA.locator('textarea.kc-input').pressSequentially('/sss');
  await pageA.locator('.kc-canned-menu .kc-canned-item').first().waitFor();
  assert.ok(await titled(pageA, '.kc-canned-menu .kc-canned-text'));
  assert.deepEqual(await overflows(pageA), [], 'the / menu');
  await pageA.keyboard.press('Escape');

  await pageA.locator('button.kc-tab[data-tab="inbox"]').click();
  await pageA.locator('.kc-left').first().waitFor();
  assert.deepEqual(await overflows(pageA), [], 'a left message with a long name, contact and text');

  // A long note to B: B's page keeps "Dismiss" on screen.
  await pageA.locator('button.kc-tab[data-tab="mine"]').click();
  await pageA.locator('.kc-conv').first().click();
  await pageA.locator('button.kc-transfer').click();
  const transfer = pageA.locator('form.kc-transfer-form');
  await transfer.locator('select[name="agent"]').selectOption({ index: 0 });
  await transfer.locator('textarea[name="note"]').fill(W);
  await transfer.locator('button[type="submit"]').click();
  await pageB.locator('.kc-transfer-note').waitFor();
  assert.deepEqual(await overflows(pageB), [], 'a long transfer note from an agent with a long name');
  await pageB.locator('.kc-transfer-note button.kc-note-open').click();
  await pageB.locator('.kc-pane .kefu-text', { hasText: W }).first().waitFor();
  assert.deepEqual(await overflows(pageB), [], 'the transferred conversation with long agent names');
  for (const br of [a, b]) assert.deepEqual(br.errors.filter((e) => !/WebSocket|net::|Notification/.test(e)), []);
});

test('one tab row at 1280 px, SVG icons in the composer, the inbox badge, unread after a transfer, no invite once rated', async (t) => {
  const { server, open, visitor } = await world(t);
  const [a, b] = [await open({ viewport: VIEWPORT }), await open({ viewport: VIEWPORT })];
  const pageA = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  const pageB = await signIn(b, server.url, 'mei', B_PASSWORD);

  // Every tab with a count (mine, queue, inbox), the queue's of two digits.
  const leaver = await visitor();
  await leaver.leaveMessage('Mei Chen', 'mei@example.com', 'Please call me back');
  const v = await visitor();
  for (let i = 0; i < 12; i++) await v.say(`question ${i}`);
  await v.requestHuman();
  // Ten more waiting: a two-digit count.
  for (let i = 0; i < 10; i++) await (await visitor()).requestHuman();
  const badge = (page, tab) => page.locator(`button.kc-tab[data-tab="${tab}"] .kc-tab-count`);
  await badge(pageA, 'queue').filter({ hasText: '11' }).waitFor();
  await badge(pageA, 'inbox').filter({ hasText: '1' }).waitFor();
  await pageA.locator('button.kc-tab[data-tab="queue"]').click();
  await pageA.locator(`.kc-conv[data-conversation-id="${v.conversationID}"]`).click();
  await pageA.locator('.kc-pane button.kc-accept').click();
  await badge(pageA, 'mine').waitFor();
  const rows = await pageA.locator('button.kc-tab').evaluateAll((tabs) => tabs.map((el) => el.getBoundingClientRect().top));
  assert.equal(new Set(rows).size, 1, `one row of tabs: ${rows}`);
  const bar = await pageA.locator('.kc-tabs').evaluate((el) => [el.scrollWidth, el.clientWidth]);
  assert.ok(bar[0] <= bar[1], `no tab cut off: ${bar}`);

  // The composer's attach and emoji buttons draw SVG icons, no emoji character.
  for (const sel of ['button.kc-attach', 'button.kc-emoji']) {
    const button = pageA.locator(sel);
    assert.equal(await button.locator('svg.kefu-icon').count(), 1, sel);
    assert.equal((await button.textContent()).trim(), '', `${sel} has no text glyph`);
    assert.ok(await button.getAttribute('aria-label'));
  }

  // The inbox badge: gone once the inbox was opened, and after a reload.
  await pageA.locator('button.kc-tab[data-tab="inbox"]').click();
  await pageA.locator('.kc-left').first().waitFor();
  await badge(pageA, 'inbox').waitFor({ state: 'detached' });
  await pageA.reload();
  await pageA.locator('button.kc-tab[data-tab="queue"]').waitFor({ timeout: 30_000 });
  await badge(pageA, 'queue').waitFor();
  assert.equal(await badge(pageA, 'inbox').count(), 0, 'seen stays seen');
  const another = await visitor();
  await another.leaveMessage('Lin', 'lin@example.com', 'Call me too');
  await badge(pageA, 'inbox').filter({ hasText: '1' }).waitFor();

  // Transferred to B: the bot chat and A's messages before it are not unread for B.
  await pageA.locator('button.kc-tab[data-tab="mine"]').click();
  await pageA.locator(`.kc-conv[data-conversation-id="${v.conversationID}"]`).click();
  await pageA.locator('textarea.kc-input').fill('Let me pass you to Mei.');
  await pageA.locator('button.kc-send').click();
  await pageA.locator('button.kc-transfer').click();
  await pageA.locator('form.kc-transfer-form select[name="agent"]').selectOption({ label: 'Mei' });
  await pageA.locator('form.kc-transfer-form button[type="submit"]').click();
  const rowB = pageB.locator(`.kc-conv[data-conversation-id="${v.conversationID}"]`);
  await rowB.locator('.kc-conv-last', { hasText: 'Transferred to Mei' }).waitFor();
  assert.equal(await rowB.locator('.kc-conv-unread').count(), 0, 'nothing unread at the transfer');
  await v.say('Hello Mei?');
  await rowB.locator('.kc-conv-unread', { hasText: /^1$/ }).waitFor();
  await pageB.waitForFunction(() => document.title === '(1) Kefu console');
  await pageB.reload();
  await rowB.locator('.kc-conv-unread', { hasText: /^1$/ }).waitFor({ timeout: 30_000 });

  // Invite once; then "Rating requested"; after the rating, "Rated" and never "Invite rating".
  await rowB.click();
  await pageB.locator('button.kc-invite').click();
  await pageB.locator('.kc-rating-state[data-rating="requested"]').waitFor();
  assert.equal(await pageB.locator('button.kc-invite').count(), 0, 'no second invitation while one waits');
  const invite = await v.next((f) => f.type === 'message' && f.message.payload?.subMsgType === 'inviteevaluate');
  v.send({ type: 'rate', conversationID: v.conversationID, sessionID: invite.message.payload.sessionId, stars: 5 });
  await pageB.locator('.kc-rating-state[data-rating="rated"]', { hasText: '★★★★★' }).waitFor();
  await pageB.locator('button.kc-end').click();
  await pageB.locator('button.kc-tab[data-tab="ended"]').click();
  await pageB.locator(`.kc-conv[data-conversation-id="${v.conversationID}"]`).click();
  await pageB.locator('.kc-rating-state[data-rating="rated"]').waitFor();
  assert.equal(await pageB.locator('button.kc-invite').count(), 0, 'an ended, rated chat offers no invitation');
  await pageB.reload();
  await pageB.locator('button.kc-tab[data-tab="ended"]').click({ timeout: 30_000 });
  await pageB.locator(`.kc-conv[data-conversation-id="${v.conversationID}"]`).click();
  await pageB.locator('.kc-rating-state[data-rating="rated"]').waitFor();
  assert.equal(await pageB.locator('button.kc-invite').count(), 0, 'nor after a reload');
  for (const br of [a, b]) assert.deepEqual(br.errors.filter((e) => !/WebSocket|net::|Notification/.test(e)), []);
});

// The agent console in real browsers: a visitor and two agents, each in their own
// Chromium. The visitor asks for a human, agent A accepts from the live queue (B sees
// the queue change too), answers with a canned reply and an emoji, transfers to B with
// a note, B replies and ends, the visitor rates; then the leave-message inbox (an
// e-mail to the site's owner, an agent assigning, answering by e-mail through a
// real SMTP server, marking done), and the search box by words and by a visitor's
// e-mail, with its dates (and a visitor erased while the console shows them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn, B_PASSWORD } from './support/console.mjs';
import { startSmtp } from './support/smtp.mjs';

async function openVisitor(browser, baseUrl) {
  const { page } = browser;
  await page.goto(`${baseUrl}/`);
  await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await page.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  return page;
}

const tabCount = (page, tab) => page.locator(`button.kc-tab[data-tab="${tab}"] .kc-tab-count`);
const noErrors = (errors) => errors.filter((e) => !/WebSocket|net::|Notification/.test(e));

test('visitor, agent A and agent B: queue, accept, canned reply, transfer with a note, end, rating', async (t) => {
  const { server, open } = await world(t);
  const [a, b, v] = [await open(), await open(), await open()];
  const pageA = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  const pageB = await signIn(b, server.url, 'mei', B_PASSWORD);
  const visitor = await openVisitor(v, server.url);

  // The visitor asks for a human: both agents see the queue change live.
  await visitor.locator('button.kefu-human').click();
  await visitor.locator('.kefu-queue').waitFor();
  for (const page of [pageA, pageB]) {
    await page.locator('button.kc-tab[data-tab="queue"]').click();
    await tabCount(page, 'queue').filter({ hasText: '1' }).waitFor();
    await page.locator('.kc-conv').first().waitFor();
  }
  const row = pageA.locator('.kc-conv').first();
  const id = await row.getAttribute('data-conversation-id');
  assert.match(id, /\S/);

  // The visitor's context is on the panel: page, browser, language, visits.
  await row.click();
  const panel = pageA.locator('.kc-visitor');
  await panel.locator('[data-field="url"]', { hasText: server.url }).waitFor();
  assert.match(await panel.locator('[data-field="browser"]').textContent(), /Chrom/);
  assert.match(await panel.locator('[data-field="os"]').textContent(), /Linux/);
  assert.match(await panel.locator('[data-field="visits"]').textContent(), /1/);
  assert.ok((await panel.locator('[data-field="timeZone"]').textContent()).trim().length > 0);

  // A accepts; the visitor is told; B's queue empties.
  await pageA.locator(`.kc-pane[data-conversation-id="${id}"] button.kc-accept`).click();
  await visitor.locator('.kefu-system[data-sub="reception"]', { hasText: 'Demo Agent' }).waitFor();
  await pageB.locator(`.kc-conv[data-conversation-id="${id}"]`).waitFor({ state: 'detached' });
  // The pane shows what the visitor saw, through the widget's renderers.
  await pageA.locator('.kc-pane .kefu-msg[data-sub="heatquestion"]').first().waitFor();

  // A canned reply, made in the console, found with `/`; B's list updates too.
  await pageA.locator('button.kc-tab[data-tab="canned"]').click();
  const cannedForm = pageA.locator('form.kc-canned-form');
  await cannedForm.locator('input[name="shortcut"]').fill('refund');
  await cannedForm.locator('textarea[name="text"]').fill('Refunds reach your card in 3-5 working days.');
  await cannedForm.locator('button[type="submit"]').click();
  await pageA.locator('.kc-canned-row', { hasText: 'refund' }).waitFor();
  await pageB.locator('button.kc-tab[data-tab="canned"]').click();
  await pageB.locator('.kc-canned-row', { hasText: 'refund' }).waitFor();

  await pageA.locator('button.kc-tab[data-tab="mine"]').click();
  await pageA.locator(`.kc-conv[data-conversation-id="${id}"]`).click();
  const input = pageA.locator('textarea.kc-input');
  await input.fill('');
  await input.pressSequentially('/ref');
  await pageA.locator('.kc-canned-menu .kc-canned-item').first().click();
  assert.equal(await input.inputValue(), 'Refunds reach your card in 3-5 working days.');
  await pageA.locator('button.kc-emoji').click();
  const emoji = pageA.locator('.kc-emoji-picker button.kc-emoji-item').first();
  const glyph = (await emoji.textContent()).trim();
  await emoji.click();
  assert.ok((await input.inputValue()).includes(glyph), 'the emoji is in the composer');
  await pageA.locator('button.kc-send').click();
  await visitor.locator('.kefu-msg[data-flow="in"] .kefu-text', { hasText: 'Refunds reach your card' }).waitFor();

  // The visitor answers; A sees it live.
  await visitor.locator('textarea.kefu-input').fill('My order is <b>#1234</b>');
  await visitor.locator('button.kefu-send').click();
  await pageA.locator('.kc-pane .kefu-text', { hasText: 'My order is <b>#1234</b>' }).waitFor();

  // A transfers to B with a note that only B sees.
  await pageA.locator('button.kc-transfer').click();
  const transfer = pageA.locator('form.kc-transfer-form');
  await transfer.locator('select[name="agent"]').selectOption({ label: 'Mei' });
  await transfer.locator('textarea[name="note"]').fill('VIP, wants a refund for #1234');
  await transfer.locator('button[type="submit"]').click();
  await visitor.locator('.kefu-system[data-sub="transfer"]', { hasText: 'Mei' }).waitFor();
  await pageB.locator('.kc-transfer-note', { hasText: 'VIP, wants a refund for #1234' }).waitFor();
  assert.equal(await pageA.locator('.kc-transfer-note').count(), 0, 'the note is for B only');

  // A message while B looks elsewhere: unread on the row and in the tab title.
  await pageB.locator('button.kc-tab[data-tab="mine"]').click();
  await visitor.locator('textarea.kefu-input').fill('Are you there?');
  await visitor.locator('button.kefu-send').click();
  const rowB = pageB.locator(`.kc-conv[data-conversation-id="${id}"]`);
  await rowB.locator('.kc-conv-last', { hasText: 'Are you there?' }).waitFor();
  await rowB.locator('.kc-conv-unread').waitFor();
  await pageB.waitForFunction(() => /^\(\d+\) Kefu console/.test(document.title));

  // B opens it (read), replies and ends; the visitor rates.
  await rowB.click();
  await pageB.locator('.kc-pane .kefu-text', { hasText: 'Are you there?' }).waitFor();
  await rowB.locator('.kc-conv-unread').waitFor({ state: 'detached' });
  await pageB.waitForFunction(() => document.title === 'Kefu console');
  await pageB.locator('textarea.kc-input').fill('Hi, Mei here. Your refund is on its way.');
  await pageB.locator('textarea.kc-input').press('Enter');
  await visitor.locator('.kefu-msg[data-flow="in"] .kefu-text', { hasText: 'Mei here' }).waitFor();
  await pageB.locator('button.kc-end').click();
  await visitor.locator('.kefu-system[data-sub="stopsession"]').waitFor();
  await visitor.locator('button.kefu-rate-open').click();
  await visitor.locator('.kefu-rating button.kefu-star[data-star="5"]').click();
  await visitor.locator('textarea.kefu-rating-comment').fill('Quick and kind');
  await visitor.locator('button.kefu-rating-submit').click();
  await visitor.locator('.kefu-rated').waitFor();

  // The ended list has it; its visitor panel shows the session and the rating.
  await pageB.locator('button.kc-tab[data-tab="ended"]').click();
  await pageB.locator(`.kc-conv[data-conversation-id="${id}"]`).click();
  await pageB.locator('.kc-visitor .kc-visitor-sessions li .kc-rating', { hasText: '5' }).waitFor();

  for (const [who, br] of [['A', a], ['B', b], ['visitor', v]]) {
    assert.deepEqual(noErrors(br.errors), [], `no page errors for ${who}`);
  }
});

test('console sign-in refuses a wrong password without saying whether the account exists', async (t) => {
  const { server, open } = await world(t);
  const { page } = await open();
  await page.goto(`${server.url}/console/`);
  const texts = [];
  for (const username of ['demo', 'nobody-here']) {
    await page.locator('form.kc-login input[name="username"]').fill(username);
    await page.locator('form.kc-login input[name="password"]').fill('wrong password');
    await page.locator('form.kc-login button[type="submit"]').click();
    const error = page.locator('.kc-login-error');
    await error.waitFor();
    texts.push((await error.textContent()).trim());
    await page.reload();
  }
  assert.ok(texts[0].length > 0);
  assert.equal(texts[0], texts[1], 'same message for a wrong password and a missing account');
  assert.equal(await page.locator('button.kc-tab').count(), 0, 'not signed in');
});

test('an away agent gets left messages in the inbox, live', async (t) => {
  const { server, open } = await world(t);
  const [a, v] = [await open(), await open()];
  const pageA = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  await pageA.locator('select.kc-presence').selectOption('away');
  await pageA.locator('button.kc-tab[data-tab="inbox"]').click();
  // Away does not count as available, so the visitor gets the leave-a-message form.
  const visitor = await openVisitor(v, server.url);
  await visitor.locator('button.kefu-human').click();
  const form = visitor.locator('.kefu-msg[data-sub="enterleavemessage"] .kefu-leave');
  await form.waitFor({ timeout: 15_000 });
  await form.locator('input[name="name"]').fill('Mei <img src=x onerror=alert(1)>');
  await form.locator('input[name="contact"]').fill('mei@example.com');
  await form.locator('textarea[name="message"]').fill('Please call me back about my Aria 2');
  await form.locator('button.kefu-leave-submit').click();
  await visitor.locator('.kefu-leave-done').waitFor();
  const left = pageA.locator('.kc-left', { hasText: 'Please call me back about my Aria 2' });
  await left.waitFor();
  assert.ok((await left.textContent()).includes('Mei <img src=x onerror=alert(1)>'), 'the name shows as text');
  assert.equal(await pageA.locator('.kc-left img').count(), 0, 'no markup from the visitor');
  assert.deepEqual(noErrors(a.errors), []);
});

test('the search box finds what a visitor wrote and opens it; an erased visitor leaves the open console', async (t) => {
  const { server, open, visitor } = await world(t);
  const a = await open();
  const pageA = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  const ann = await visitor();
  await ann.say('my order 4711 never arrived');
  await ann.requestHuman();
  const bob = await visitor();
  await bob.say('where is order 5822?');

  // One hit per conversation that says it, with the words around the match.
  const search = pageA.locator('input.kc-search-input');
  await search.fill('4711');
  await search.press('Enter');
  const hit = pageA.locator(`.kc-search-hit[data-conversation-id="${ann.conversationID}"]`);
  await hit.waitFor();
  assert.match(await hit.textContent(), /order 4711 never/);
  assert.equal(await pageA.locator('.kc-search-hit').count(), 1, 'Bob did not say it');

  // The visitor's e-mail (from a message they left) finds their conversation too.
  await bob.leaveMessage('Bob Stone', 'bob@example.com', 'Call me about 5822, please');
  await search.fill('bob@example.com');
  await search.press('Enter');
  const bobHit = pageA.locator(`.kc-search-hit[data-conversation-id="${bob.conversationID}"]`);
  await bobHit.waitFor();
  assert.equal(await pageA.locator('.kc-search-hit').count(), 1, 'only Bob left that address');
  await search.fill('4711');
  await search.press('Enter');
  await hit.waitFor();

  // Dates narrow it: nothing was said yesterday; today finds it again.
  const day = (offset) => {
    const d = new Date(Date.now() + offset * 86_400_000);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  };
  const [from, to] = [pageA.locator('.kc-search input[name="from"]'), pageA.locator('.kc-search input[name="to"]')];
  await from.fill(day(-1));
  await to.fill(day(-1));
  await pageA.locator('.kc-search-results .kc-empty').waitFor();
  assert.equal(await pageA.locator('.kc-search-hit').count(), 0, 'nothing yesterday');
  await to.fill(day(0));
  await hit.waitFor();
  await hit.click();
  const pane = pageA.locator(`.kc-pane[data-conversation-id="${ann.conversationID}"]`);
  await pane.locator('.kefu-msg', { hasText: 'my order 4711 never arrived' }).waitFor();

  // An admin erases Ann: the console drops her conversation at once, pane and hit.
  await admin(server.url, 'DELETE', `/sites/demo/visitors/${ann.identity}`);
  await pane.waitFor({ state: 'detached' });
  await hit.waitFor({ state: 'detached' });
  assert.equal(await pageA.locator('.kefu-msg', { hasText: '4711' }).count(), 0);
  assert.deepEqual(noErrors(a.errors), []);
});

test('the inbox: the owner is mailed, an agent takes the message, answers it by e-mail and it is done', async (t) => {
  const smtp = await startSmtp(t);
  const { server, open, visitor } = await world(t, {
    env: { KEFU_SMTP_URL: smtp.url, KEFU_MAIL_FROM: 'Kefu Demo Store <support@shop.example>' },
  });
  await admin(server.url, 'PUT', '/sites/demo', {
    name: 'Kefu Demo Store', autoAssign: false, notifications: { emails: ['owner@shop.example'] },
  });
  const a = await open();
  const pageA = await signIn(a, server.url, 'mei', B_PASSWORD);
  await pageA.locator('button.kc-tab[data-tab="inbox"]').click();

  const mei = await visitor();
  await mei.leaveMessage('Mei Li', 'mei@example.com', 'Do you ship the Aria 2 to Wales?');
  const phone = await visitor();
  await phone.leaveMessage('Tom', '+44 20 7946 0000', 'Call me about a refund');

  // The owner hears of it by e-mail, with the visitor's address to answer.
  const [notice] = await smtp.mailsTo('owner@shop.example');
  assert.match(notice.text, /Do you ship the Aria 2 to Wales\?/);
  assert.equal(notice.replyTo, 'mei@example.com');

  // Both are new; only the one with an e-mail address can be answered by e-mail.
  const row = pageA.locator('.kc-left', { hasText: 'Do you ship the Aria 2 to Wales?' });
  const tom = pageA.locator('.kc-left', { hasText: 'Call me about a refund' });
  await row.waitFor();
  await tom.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'new');
  assert.equal(await tom.locator('form.kc-left-reply').count(), 0, 'a phone number gets no e-mail form');
  // Given to the demo agent (the reply below keeps that: it was somebody's).
  await row.locator('select[name="assignee"]').selectOption({ label: 'Demo Agent' });

  await row.locator('textarea[name="reply"]').fill('Yes — we ship to Wales in 2–3 days.');
  await row.locator('form.kc-left-reply button[type="submit"]').click();
  // Answered: done, so it leaves "New"; "Done" shows it with the reply.
  await row.waitFor({ state: 'detached' });
  assert.equal(await tom.getAttribute('data-state'), 'new');
  await pageA.locator('.kc-inbox-filter button', { hasText: 'Done' }).click();
  const done = pageA.locator('.kc-left[data-state="done"]', { hasText: 'Do you ship the Aria 2 to Wales?' });
  await done.waitFor();
  assert.match(await done.locator('.kc-left-replied').textContent(), /E-mail reply by Mei/);
  assert.match(await done.locator('.kc-left-reply-text').textContent(), /we ship to Wales in 2–3 days/);
  const assignee = done.locator('select[name="assignee"]');
  assert.equal(await assignee.evaluate((el) => el.selectedOptions[0].text), 'Demo Agent', 'as stored');

  // The visitor gets the answer, their question quoted.
  const [answer] = await smtp.mailsTo('mei@example.com');
  assert.equal(answer.subject, 'Re: your message to Kefu Demo Store');
  assert.match(answer.text, /^Yes — we ship to Wales in 2–3 days\./);
  assert.match(answer.text, /> Do you ship the Aria 2 to Wales\?/);

  // Reopened, it is new again.
  await done.locator('button.kc-left-toggle').click();
  await done.waitFor({ state: 'detached' });
  await pageA.locator('.kc-inbox-filter button', { hasText: 'New' }).click();
  await row.waitFor();
  assert.deepEqual(noErrors(a.errors), []);
});

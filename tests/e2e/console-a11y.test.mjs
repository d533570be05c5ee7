// axe-core on the agent console, a whole page (so `region` is on: everything
// belongs to a landmark), in both themes (the console follows
// prefers-color-scheme): the sign-in page, a queued conversation, one being
// served with messages both ways, the transfer form, the canned replies, the
// inbox, the `/` menu and the emoji picker, a transfer note, and an ended,
// rated conversation. No violation of
// WCAG 2.1 A/AA (colour contrast included) or axe's best practices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn, B_PASSWORD } from './support/console.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** axe's violations on the whole page, as readable lines. */
async function violations(page) {
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200); // hover and focus styles settle
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, preload: false });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`));
  }, TAGS);
}

for (const theme of ['light', 'dark']) {
  test(`axe: no violations in any console state, ${theme} theme`, async (t) => {
    const { server, open, visitor } = await world(t);
    // The console's CSP would refuse axe's inline script: bypass it for the test.
    const [a, b] = [await open({ bypassCSP: true }), await open({ bypassCSP: true })];
    for (const br of [a, b]) await br.page.emulateMedia({ colorScheme: theme });
    const pageA = a.page;
    await pageA.goto(`${server.url}/console/`);
    await pageA.locator('form.kc-login').waitFor({ timeout: 30_000 });
    assert.equal(await pageA.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), theme === 'dark');
    assert.deepEqual(await violations(pageA), [], 'sign-in');
    await signIn(a, server.url, 'demo', DEMO_PASSWORD);
    const pageB = await signIn(b, server.url, 'mei', B_PASSWORD);

    // A left message for the inbox; a visitor who says who they are and waits.
    const leaver = await visitor();
    await leaver.leaveMessage('Mei Chen', 'mei@example.com', 'Please call me back');
    const v = await visitor();
    v.send({ type: 'identify', user: { id: 'u_1', name: 'Lin Wu', email: 'lin@example.com' }, attributes: { plan: 'pro', orders: 3 } });
    await v.say('Where is my parcel?');
    await v.requestHuman();

    await pageA.locator('button.kc-tab[data-tab="queue"]').click();
    await pageA.locator('.kc-conv').first().click();
    await pageA.locator('.kc-visitor [data-field="user-name"]', { hasText: 'Lin Wu' }).waitFor();
    await pageA.locator('.kc-pane .kefu-msg').first().waitFor();
    assert.deepEqual(await violations(pageA), [], 'a queued conversation');

    await pageA.locator('.kc-pane button.kc-accept').click();
    await pageA.locator('textarea.kc-input').fill('Hello, let me check that for you.');
    await pageA.locator('button.kc-send').click();
    await pageA.locator('.kefu-msg--out[data-status="sent"]').waitFor();
    await v.say('Thank you!');
    await pageA.locator('.kc-pane .kefu-text', { hasText: 'Thank you!' }).waitFor();
    assert.deepEqual(await violations(pageA), [], 'serving, messages both ways');

    await pageA.locator('button.kc-transfer').click();
    await pageA.locator('form.kc-transfer-form').waitFor();
    assert.deepEqual(await violations(pageA), [], 'the transfer form');

    await pageA.locator('button.kc-tab[data-tab="canned"]').click();
    const form = pageA.locator('form.kc-canned-form');
    await form.locator('input[name="shortcut"]').fill('refund');
    await form.locator('textarea[name="text"]').fill('Refunds reach your card in 3-5 working days.');
    await form.locator('button[type="submit"]').click();
    await pageA.locator('.kc-canned-row', { hasText: 'refund' }).waitFor();
    assert.deepEqual(await violations(pageA), [], 'canned replies');

    await pageA.locator('button.kc-tab[data-tab="inbox"]').click();
    await pageA.locator('.kc-left', { hasText: 'Please call me back' }).waitFor();
    assert.deepEqual(await violations(pageA), [], 'the inbox');

    // The composer's pop-ups: the `/` menu of canned replies, the emoji picker.
    await pageA.locator('button.kc-tab[data-tab="mine"]').click();
    await pageA.locator('.kc-conv').first().click();
    await pageA.locator('textarea.kc-input').pressSequentially('/ref');
    await pageA.locator('.kc-canned-menu .kc-canned-item').first().waitFor();
    assert.deepEqual(await violations(pageA), [], 'the / menu');
    await pageA.locator('textarea.kc-input').pressSequentially('zzz');
    await pageA.locator('.kc-canned-menu .kc-canned-none').waitFor();
    assert.deepEqual(await violations(pageA), [], 'the / menu without a match');
    await pageA.keyboard.press('Escape');
    await pageA.locator('textarea.kc-input').fill('');
    await pageA.locator('button.kc-emoji').click();
    await pageA.locator('.kc-emoji-picker').waitFor();
    assert.deepEqual(await violations(pageA), [], 'the emoji picker');
    await pageA.locator('button.kc-emoji').click();

    // Transfer to B with a note: B's notes line.
    await pageA.locator('button.kc-tab[data-tab="mine"]').click();
    await pageA.locator('.kc-conv').first().click();
    await pageA.locator('button.kc-transfer').click();
    const transfer = pageA.locator('form.kc-transfer-form');
    await transfer.locator('select[name="agent"]').selectOption({ label: 'Mei' });
    await transfer.locator('textarea[name="note"]').fill('VIP, wants a refund');
    await transfer.locator('button[type="submit"]').click();
    await pageB.locator('.kc-transfer-note', { hasText: 'VIP' }).waitFor();
    assert.deepEqual(await violations(pageB), [], 'a transfer note');

    // B ends it, the visitor rates: the ended list and the rated conversation.
    await pageB.locator('.kc-transfer-note button.kc-note-open').click();
    await pageB.locator('button.kc-end').click();
    const invite = await v.next((f) => f.type === 'message' && f.message.payload?.subMsgType === 'inviteevaluate');
    v.send({ type: 'rate', conversationID: v.conversationID, sessionID: invite.message.payload.sessionId, stars: 4 });
    await pageB.locator('button.kc-tab[data-tab="ended"]').click();
    await pageB.locator('.kc-conv').first().click();
    await pageB.locator('.kc-visitor .kc-rating').waitFor();
    await pageB.locator('.kc-rating-state[data-rating="rated"]').waitFor();
    assert.deepEqual(await violations(pageB), [], 'ended and rated');

    for (const [who, br] of [['A', a], ['B', b]]) {
      assert.deepEqual(br.errors.filter((e) => !/WebSocket|net::|Notification/.test(e)), [], `no page errors for ${who}`);
    }
  });
}

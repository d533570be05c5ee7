// The bot screen in real browsers: the demo site's owner tries questions and
// reads why the bot decides what it does, then switches the bot off; a visitor
// in another Chromium then gets the service's welcome without hot questions,
// and their first message goes to the queue, where the owner sees it. An
// agent (Mei) has no bot screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn, B_PASSWORD } from './support/console.mjs';

const trial = (page) => page.locator('.kc-bot-trial');

async function tryQuestion(page, question) {
  const form = page.locator('form.kc-bot-try');
  await form.locator('input[name="q"]').fill(question);
  await form.locator('button[type="submit"]').click();
  await trial(page).locator('.kc-bot-question', { hasText: question }).waitFor();
}

test('the owner tries questions, reads why, and switches the bot off for new visitors', async (t) => {
  const { server, open } = await world(t);
  const [a, b, v] = [await open(), await open(), await open()];
  const owner = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  const mei = await signIn(b, server.url, 'mei', B_PASSWORD);
  await mei.locator('header.kc-header[data-team-role="agent"]').waitFor();
  assert.equal(await mei.locator('button.kc-bot-open').count(), 0);

  const botButton = owner.locator('button.kc-bot-open');
  await botButton.click();
  assert.equal(await botButton.getAttribute('aria-pressed'), 'true');
  const enabled = owner.locator('input.kc-bot-enabled');
  await enabled.waitFor();
  assert.equal(await enabled.isChecked(), true);

  // A question the bot answers: the decision, the reason with the scores, and
  // the answering entry first.
  await tryQuestion(owner, 'How long does shipping take?');
  assert.equal(await trial(owner).getAttribute('data-decision'), 'answer');
  assert.equal(await trial(owner).getAttribute('data-reason'), 'Answered');
  const first = trial(owner).locator('li.kc-bot-near').first();
  assert.equal(await first.getAttribute('data-id'), 'shipping-time-en');
  assert.equal(await first.getAttribute('data-offered'), 'true');
  assert.match(await trial(owner).locator('.kc-bot-reason').textContent(), /threshold for answering \(0\.33\)/);
  await first.locator('summary').click();
  assert.match(await first.locator('.kc-bot-near-details').textContent(), /query words:/);
  // Typos alone: offered, never answered, however high the score.
  await tryQuestion(owner, 'trak my ordr');
  assert.equal(await trial(owner).getAttribute('data-decision'), 'similar');
  assert.equal(await trial(owner).getAttribute('data-reason'), 'WeakMatch');
  assert.equal(await trial(owner).locator('li.kc-bot-near').first().getAttribute('data-id'), 'order-tracking-en');
  assert.match(await trial(owner).locator('.kc-bot-reason').textContent(), /only through typos/);
  // One it cannot: none, and why.
  await tryQuestion(owner, 'zxqv blorft');
  assert.equal(await trial(owner).getAttribute('data-decision'), 'none');
  assert.equal(await trial(owner).getAttribute('data-reason'), 'NothingShared');
  assert.equal(await trial(owner).locator('li.kc-bot-near').count(), 0);

  // Off (the switch shows the server's state: it flips once the server said
  // so): the hint says where visitors go now.
  await enabled.click();
  await owner.locator('.kc-bot-hint', { hasText: 'straight to the queue' }).waitFor();
  await owner.waitForFunction(() => document.querySelector('section.kc-bot')?.getAttribute('aria-busy') === 'false');
  assert.equal(await enabled.isChecked(), false);

  // A new visitor: the service's welcome, no hot questions; their message
  // queues them, and the owner sees them in the queue.
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-system[data-sub="prompts"]', { hasText: 'an agent will answer' }).waitFor({ timeout: 15_000 });
  assert.equal(await visitor.locator('[data-sub="heatquestion"]').count(), 0);
  await visitor.locator('textarea.kefu-input').fill('Is the blue one in stock?');
  await visitor.locator('button.kefu-send').click();
  await visitor.locator('.kefu-system[data-sub="queuinglocation"]').waitFor({ timeout: 15_000 });
  assert.equal(await visitor.locator('[data-sub="repository"], [data-sub="similarquestion"]').count(), 0);
  await owner.locator('button.kc-tab[data-tab="queue"]').click();
  await owner.locator('.kc-conv').first().waitFor();

  // Back on: the switch reads so again after a reload.
  await owner.locator('button.kc-bot-open').click();
  await enabled.click();
  await owner.locator('.kc-bot-hint', { hasText: 'hot questions in their language' }).waitFor();
  await owner.reload();
  await owner.locator('button.kc-bot-open').click();
  await owner.locator('input.kc-bot-enabled:checked').waitFor();
  assert.deepEqual(a.errors.filter((e) => !/WebSocket|net::|Notification/.test(e)), []);
});

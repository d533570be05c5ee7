// The smart-service lifecycle in the browser: hot question → answer → free-text
// "did you mean" → pick → talk to a human → the agent accepts and replies → the agent
// ends → the visitor rates; and, with no agent online, the leave-a-message form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDemoChat } from './support/demo.mjs';
import { AgentClient, agentLogin } from './support/agent.mjs';
import { ADMIN_TOKEN } from './support/server.mjs';

/** Turn automatic assignment off, so the visitor waits until the agent accepts. */
async function manualAssignment(baseUrl) {
  const res = await fetch(`${baseUrl}/api/v1/sites/demo`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ name: 'Kefu Demo Store', autoAssign: false }),
  });
  assert.equal(res.status, 200, await res.text());
}

const custom = (page, sub) => page.locator(`.kefu-msg[data-kind="custom"][data-sub="${sub}"]`);

test('hot question, similar question, human agent, end and rating', async (t) => {
  const { server, page, errors } = await openDemoChat(t);

  // A new conversation starts with a welcome and the hot questions.
  const hot = custom(page, 'heatquestion').locator('button.kefu-question');
  await hot.first().waitFor({ timeout: 15_000 });
  assert.ok((await hot.count()) >= 3, 'several hot questions');
  const hotQuestion = (await hot.first().textContent()).trim();
  await hot.first().click();
  await custom(page, 'specifiedquestion').first().waitFor();
  const firstAnswer = custom(page, 'repository').first().locator('.kefu-answer');
  await firstAnswer.waitFor();
  assert.ok((await firstAnswer.textContent()).trim().length > 10, 'the answer has content');
  assert.ok(hotQuestion.length > 0);

  // Free text that matches several entries → "did you mean" → pick one → answer.
  await page.locator('textarea.kefu-input').fill('return or refund');
  await page.locator('button.kefu-send').click();
  const similar = custom(page, 'similarquestion').locator('button.kefu-question');
  await similar.first().waitFor();
  assert.ok((await similar.count()) >= 2, 'at least two candidates');
  await similar.first().click();
  await custom(page, 'repository').nth(1).waitFor();

  // Talk to a human: queue, an agent accepts, chat, end, rate.
  await manualAssignment(server.url);
  const agent = await AgentClient.connect(server.url, await agentLogin(server.url));
  await page.locator('button.kefu-human').click();
  await page.locator('.kefu-queue').waitFor();
  assert.match(await page.locator('.kefu-queue-position').textContent(), /1/);
  const queue = await agent.next((f) => f.type === 'queue' && f.entries.length === 1);
  const conversationID = queue.entries[0].conversationID;
  agent.send({ type: 'accept', conversationID });
  await page.locator('.kefu-system[data-sub="reception"]', { hasText: 'Demo Agent' }).waitFor();
  await page.locator('.kefu-queue').waitFor({ state: 'detached' });
  assert.equal(await page.locator('button.kefu-human').count(), 0, 'no "talk to a human" while served');

  await agent.sendText(conversationID, 'Hello, I am Demo Agent. How can I help?');
  await page.locator('.kefu-msg[data-flow="in"] .kefu-text', { hasText: 'I am Demo Agent' }).waitFor();
  await page.locator('textarea.kefu-input').fill('My parcel is late');
  await page.locator('button.kefu-send').click();
  await agent.nextText('My parcel is late');

  agent.send({ type: 'endSession', conversationID });
  await page.locator('.kefu-system[data-sub="stopsession"]').waitFor();
  await page.locator('button.kefu-rate-open').click();
  await page.locator('.kefu-rating button.kefu-star[data-star="5"]').click();
  await page.locator('textarea.kefu-rating-comment').fill('Quick and kind');
  await page.locator('button.kefu-rating-submit').click();
  await page.locator('.kefu-rated').waitFor();
  const rated = await agent.next((f) => f.type === 'rated');
  assert.equal(rated.stars, 5);
  assert.equal(rated.comment, 'Quick and kind');

  // Everything is stored once, in order.
  const stored = await agent.syncAll(conversationID, 0);
  const subs = stored.map((m) => (m.type === 'custom' ? m.payload.subMsgType : m.type));
  for (const sub of ['createsession', 'heatquestion', 'specifiedquestion', 'repository', 'similarquestion', 'queuinglocation', 'reception', 'stopsession', 'inviteevaluate']) {
    assert.ok(subs.includes(sub), `${sub} stored; got ${subs.join(',')}`);
  }
  assert.deepEqual(stored.map((m) => m.sequence), stored.map((_, i) => i + 1));
  await agent.close();
  assert.deepEqual(errors.filter((e) => !/WebSocket|net::/.test(e)), []);
});

test('no agent online: the visitor leaves a message and agents can read it', async (t) => {
  const { server, page } = await openDemoChat(t);
  await page.locator('button.kefu-human').click();
  const form = custom(page, 'enterleavemessage').locator('.kefu-leave');
  await form.waitFor({ timeout: 15_000 });
  await form.locator('input[name="name"]').fill('Mei <b>Li</b>');
  await form.locator('input[name="contact"]').fill('mei@example.com');
  await form.locator('textarea[name="message"]').fill('Please call me back about my order');
  await form.locator('button.kefu-leave-submit').click();
  await page.locator('.kefu-leave-done').waitFor();

  const agent = await AgentClient.connect(server.url, await agentLogin(server.url));
  agent.send({ type: 'getLeftMessages' });
  const { items } = await agent.next((f) => f.type === 'leftMessages');
  assert.equal(items.length, 1);
  assert.equal(items[0].name, 'Mei <b>Li</b>', 'stored verbatim, as text');
  assert.equal(items[0].contact, 'mei@example.com');
  assert.equal(items[0].message, 'Please call me back about my order');
  await agent.close();
});

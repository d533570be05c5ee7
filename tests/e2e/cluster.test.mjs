// Two kefu-server nodes on one PostgreSQL database and one NATS server, with the real
// widget and console in Chromium: the visitor and agent Mei reach the cluster through
// a load balancer that prefers node 1, the demo agent works on node 2 directly. The
// queue reaches both; both agents accept at once and exactly one wins; reply, typing,
// revoke and transfers cross nodes; signing out on one node closes the agent's socket
// on the other. Then node 1 is SIGKILLed while the visitor keeps sending: the widget
// reconnects through the balancer to node 2, resends with the same clientMsgIDs and
// syncs — every acked message is stored once, in order, and both sides show it so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, DEMO_PASSWORD } from './support/server.mjs';
import { openBrowser } from './support/browser.mjs';
import { AgentClient } from './support/agent.mjs';
import { signIn, B_PASSWORD } from './support/console.mjs';
import { startCluster, startBalancer, killNode } from './support/cluster.mjs';

const noErrors = (errors) => errors.filter((e) => !/WebSocket|net::|Notification/.test(e));

/** The texts of the visitor's messages in a conversation's stored history. */
const visitorTexts = (messages) => messages
  .filter((m) => m.from.startsWith('visitor:') && m.type === 'text')
  .map((m) => m.payload.text);

async function visitorSays(visitor, text) {
  const input = visitor.locator('textarea.kefu-input');
  await input.fill(text);
  await input.press('Enter');
}

/** Transfer the open conversation from `from`'s console to the agent named `to`. */
async function transfer(from, to, note) {
  await from.locator('button.kc-transfer').click();
  const form = from.locator('form.kc-transfer-form');
  await form.locator('select[name="agent"]').selectOption({ label: to });
  await form.locator('textarea[name="note"]').fill(note);
  await form.locator('button[type="submit"]').click();
}

/** Open conversation `id` from the console's "mine" tab. */
async function openMine(page, id) {
  await page.locator('button.kc-tab[data-tab="mine"]').click();
  await page.locator(`.kc-conv[data-conversation-id="${id}"]`).click();
  await page.locator(`.kc-pane[data-conversation-id="${id}"] textarea.kc-input`).waitFor();
}

test('two nodes: queue, one winner, transfer and sign-out across nodes; a node killed loses nothing', async (t) => {
  const [one, two] = await startCluster(t);
  const balancer = await startBalancer(t, [one.url, two.url]);
  await admin(two.url, 'PUT', '/sites/demo', { name: 'Kefu Demo Store', autoAssign: false });
  await admin(one.url, 'POST', '/sites/demo/agents', { username: 'mei', name: 'Mei', password: B_PASSWORD });

  const browsers = [];
  t.after(async () => { for (const b of browsers) await b.close(); });
  const open = async () => { const b = await openBrowser(); browsers.push(b); return b; };
  const [a, b, v] = [await open(), await open(), await open()];
  // The demo agent on node 2; Mei and the visitor through the balancer (node 1).
  const pageA = await signIn(a, two.url, 'demo', DEMO_PASSWORD);
  const pageB = await signIn(b, balancer.url, 'mei', B_PASSWORD);
  const visitor = v.page;
  await visitor.goto(`${balancer.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  assert.equal(balancer.served()[two.url], 0, 'while node 1 is up, the balancer sends everything there');

  // The queue reaches both nodes' consoles; both accept at once: one wins.
  await visitor.locator('button.kefu-human').click();
  await visitor.locator('.kefu-queue').waitFor();
  for (const page of [pageA, pageB]) {
    await page.locator('button.kc-tab[data-tab="queue"]').click();
    await page.locator('.kc-conv').first().click();
  }
  const id = await pageA.locator('.kc-conv').first().getAttribute('data-conversation-id');
  const accept = (page) => page.locator(`.kc-pane[data-conversation-id="${id}"] button.kc-accept`);
  await Promise.all([accept(pageA).waitFor(), accept(pageB).waitFor()]);
  // Both click at once. Under load one click can land first and the winner's push
  // reach the other console before its own click: its Accept button is gone then
  // (it lost the race just the same), and waiting for it would never end.
  const clicked = await Promise.all([pageA, pageB].map((page) => accept(page).click({ timeout: 5_000 }).then(() => true, () => false)));
  assert.ok(clicked.includes(true), 'at least one console clicked Accept');
  const reception = visitor.locator('.kefu-system[data-sub="reception"]');
  await reception.first().waitFor();
  const winnerName = (await reception.first().textContent()).includes('Mei') ? 'Mei' : 'Demo Agent';
  const [winner, loser] = winnerName === 'Mei' ? [pageB, pageA] : [pageA, pageB];
  await openMine(winner, id);
  // The loser's queue no longer has it, and exactly one reception was stored.
  await loser.locator('button.kc-tab[data-tab="queue"]').click();
  await loser.locator(`.kc-conv[data-conversation-id="${id}"]`).waitFor({ state: 'detached' });
  const tokenA = await pageA.evaluate(() => sessionStorage.getItem('kefu-console-token'));
  const agentA = await AgentClient.connect(two.url, tokenA);
  t.after(() => agentA.close());
  const receptions = (await agentA.syncAll(id)).filter((m) => m.type === 'custom' && m.payload.subMsgType === 'reception');
  assert.deepEqual(receptions.map((m) => m.payload.agent.name), [winnerName], 'one winner');

  // Reply, typing and revoke cross the nodes.
  await winner.locator('textarea.kc-input').fill('Hello from the winner');
  await winner.locator('textarea.kc-input').press('Enter');
  await visitor.locator('.kefu-msg--in', { hasText: 'Hello from the winner' }).waitFor();
  await visitor.locator('textarea.kefu-input').pressSequentially('typing');
  await winner.locator('.kc-typing', { hasText: 'Visitor is typing…' }).waitFor();
  await visitor.locator('textarea.kefu-input').fill('');
  await winner.locator('textarea.kc-input').fill('A slip, taken back');
  await winner.locator('textarea.kc-input').press('Enter');
  const slip = winner.locator('.kc-pane .kefu-msg--out[data-status="sent"]', { hasText: 'A slip, taken back' });
  await visitor.locator('.kefu-msg--in', { hasText: 'A slip, taken back' }).waitFor();
  await slip.hover();
  await slip.locator('summary.kefu-more').click();
  await slip.locator('button.kefu-revoke').click();
  await visitor.locator('.kefu-revoked', { hasText: `${winnerName} revoked a message` }).waitFor();
  assert.equal(await visitor.locator('.kefu-msg--in', { hasText: 'A slip, taken back' }).count(), 0);

  // Transfers cross the nodes until the demo agent (node 2) serves: Mei → demo, or
  // demo → Mei → demo.
  const hops = winnerName === 'Mei' ? [[pageB, 'Demo Agent', pageA]] : [[pageA, 'Mei', pageB], [pageB, 'Demo Agent', pageA]];
  for (const [from, to, toPage] of hops) {
    if (from !== winner) await openMine(from, id);
    const note = `Over to ${to}, across nodes`;
    await transfer(from, to, note);
    await visitor.locator('.kefu-system[data-sub="transfer"]', { hasText: to }).last().waitFor();
    await toPage.locator('.kc-transfer-note', { hasText: note }).waitFor();
  }
  await openMine(pageA, id);

  // Mei signs out on node 1: her socket on node 2 (the same token) closes too.
  const meiToken = await pageB.evaluate(() => sessionStorage.getItem('kefu-console-token'));
  assert.ok(meiToken, 'the console keeps its token');
  const meiOnTwo = await AgentClient.connect(two.url, meiToken);
  await pageB.locator('button.kc-signout').click();
  await pageB.locator('form.kc-login').waitFor();
  assert.equal(await meiOnTwo.closed, 4500, 'signed out on every node');

  // Node 1 dies mid-conversation; the visitor keeps sending.
  await visitorSays(visitor, 'before the crash');
  await visitor.locator('.kefu-msg--out[data-status="sent"]', { hasText: 'before the crash' }).waitFor();
  const killed = await killNode(one);
  assert.equal(killed.signal, 'SIGKILL');
  const during = ['sent while node 1 is gone 1', 'sent while node 1 is gone 2', 'sent while node 1 is gone 3'];
  for (const text of during) await visitorSays(visitor, text);
  const sent = ['before the crash', ...during];
  // Reconnected through the balancer to node 2, the widget resends and syncs: each
  // message acked once.
  for (const text of sent) {
    await visitor.locator('.kefu-msg--out[data-status="sent"]', { hasText: text }).waitFor({ timeout: 60_000 });
  }
  assert.ok(balancer.served()[two.url] > 0, 'the visitor reconnected to node 2');

  // The agent on node 2 sees each once, in order; so does the stored history.
  const pane = pageA.locator(`.kc-pane[data-conversation-id="${id}"]`);
  for (const text of sent) await pane.locator('.kefu-msg--in', { hasText: text }).waitFor();
  const inPane = await pane.locator('.kefu-msg--in .kefu-text').allTextContents();
  assert.deepEqual(inPane.filter((x) => sent.includes(x.trim())).map((x) => x.trim()), sent);
  const stored = visitorTexts(await agentA.syncAll(id));
  assert.deepEqual(stored.filter((x) => sent.includes(x)), sent, 'stored once each, in send order');

  // The visitor's page, reloaded (through the balancer, so on node 2): the same.
  await visitor.reload();
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg--out', { hasText: sent.at(-1) }).waitFor();
  const outTexts = await visitor.locator('.kefu-msg--out .kefu-text').allTextContents();
  assert.deepEqual(outTexts.filter((x) => sent.includes(x.trim())).map((x) => x.trim()), sent);

  for (const [who, br] of [['demo agent', a], ['Mei', b], ['visitor', v]]) {
    assert.deepEqual(noErrors(br.errors), [], `no page errors for ${who}`);
  }
});

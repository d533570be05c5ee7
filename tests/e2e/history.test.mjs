// History over the real server: a conversation longer than a page (15). The visitor
// comes back, sees the newest page, scrolls up and older pages arrive without the
// list jumping; while reading older messages a new one brings "New messages ↓",
// which goes back down. The agent console's pane pages and jumps the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, startServer, freePort, tempDataDir, cleanup, DEMO_PASSWORD } from './support/server.mjs';
import { openBrowser } from './support/browser.mjs';
import { AgentClient, agentLogin } from './support/agent.mjs';

const TOTAL = 40;


/** Send `text` as the agent, waiting out the per-connection rate limit if hit. */
async function say(agent, conversationID, text) {
  for (;;) {
    const ack = await agent.sendText(conversationID, text);
    if (ack.type === 'ack') return ack;
    assert.equal(ack.code, 'rateLimited', JSON.stringify(ack));
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Scroll a column-reverse list to its top and tell it so. */
async function scrollToTop(list) {
  await list.evaluate((el) => {
    el.scrollTop = -(el.scrollHeight - el.clientHeight);
    el.dispatchEvent(new Event('scroll'));
  });
}

test('a long conversation pages on scroll in the widget and the console, keeping the place', async (t) => {
  const dataDir = tempDataDir();
  const server = await startServer({ port: await freePort(), dataDir });
  const browsers = [];
  let agent;
  t.after(async () => {
    await agent?.close();
    for (const b of browsers) await b.close();
    await server.stop();
    cleanup(dataDir);
  });
  await admin(server.url, 'PUT', '/sites/demo', { name: 'Kefu Demo Store', autoAssign: false });

  // An agent is online; the visitor asks for a human; the agent accepts and writes a long answer.
  const v = await openBrowser();
  browsers.push(v);
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  agent = await AgentClient.connect(server.url, await agentLogin(server.url));
  await visitor.locator('button.kefu-human').click();
  agent.send({ type: 'getQueue' });
  const queue = await agent.next((f) => f.type === 'queue' && f.entries.length > 0);
  const conversationID = queue.entries[0].conversationID;
  agent.send({ type: 'accept', conversationID });
  const taken = await agent.next((f) => f.type === 'error'
    || (f.type === 'conversation' && f.item.conversationID === conversationID && f.item.session.state === 'serving'));
  assert.equal(taken.type, 'conversation', JSON.stringify(taken));
  for (let i = 1; i <= TOTAL; i += 1) await say(agent, conversationID, `answer line ${i}`);

  // The visitor comes back: the newest page only.
  await visitor.reload();
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  const list = visitor.locator('.kefu-messages');
  await visitor.locator('.kefu-msg', { hasText: `answer line ${TOTAL}` }).waitFor();
  const firstPage = await visitor.locator('.kefu-msg').count();
  assert.equal(firstPage, 15, 'one page of 15');
  assert.ok(await list.evaluate((el) => el.scrollTop === 0), 'starts at the bottom');
  // Places are measured: the window's opening animation (it scales the window) ends first.
  await visitor.locator('.kefu-window').evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));

  // Scrolling to the top brings the page before; what the visitor was reading
  // does not move on the screen when it is prepended. (Measured at a message's
  // bottom, where its text ends: the sender's name above the first one moves up
  // to the prepended page's first message.)
  const kept = await list.evaluate((el) => new Promise((resolve, reject) => {
    const rows = () => el.querySelectorAll('.kefu-msg').length;
    const anchor = el.querySelector('.kefu-msg');
    const n = rows();
    el.scrollTop = -(el.scrollHeight - el.clientHeight);
    const before = anchor.getBoundingClientRect().bottom;
    el.dispatchEvent(new Event('scroll'));
    const started = Date.now();
    const poll = () => {
      if (rows() > n) resolve({ before, after: anchor.getBoundingClientRect().bottom, n, now: rows() });
      else if (Date.now() - started > 15_000) reject(new Error(`no older page after scrolling up (${n} rows)`));
      else requestAnimationFrame(poll);
    };
    poll();
  }));
  assert.equal(kept.now, kept.n + 15, 'one more page');
  assert.ok(Math.abs(kept.after - kept.before) < 2, `the place is kept: ${JSON.stringify(kept)}`);

  // Reading older messages, a new one brings the button; it goes back down.
  await list.evaluate((el) => { el.scrollTop = -400; el.dispatchEvent(new Event('scroll')); });
  assert.equal(await visitor.locator('.kefu-new-messages').count(), 0);
  await say(agent, conversationID, 'a brand new answer');
  const jump = visitor.locator('button.kefu-new-messages');
  await jump.waitFor();
  await jump.click();
  await jump.waitFor({ state: 'detached' });
  assert.ok(await list.evaluate((el) => el.scrollTop === 0), 'back at the bottom');

  // The console's pane: newest page first, older on scrolling up, the same button.
  const a = await openBrowser();
  browsers.push(a);
  const page = a.page;
  await page.goto(`${server.url}/console/`);
  const form = page.locator('form.kc-login');
  await form.locator('input[name="username"]').fill('demo');
  await form.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await form.locator('button[type="submit"]').click();
  await page.locator('button.kc-tab[data-tab="mine"]').click({ timeout: 30_000 });
  await page.locator(`.kc-conv[data-conversation-id="${conversationID}"]`).click();
  const pane = page.locator('.kc-messages');
  await pane.locator('.kefu-msg', { hasText: 'a brand new answer' }).waitFor();
  const shown = await pane.locator('[data-seq]').count();
  assert.ok(shown >= 15 && shown < TOTAL, `one page first (${shown})`);
  assert.ok(await pane.evaluate((el) => el.scrollTop === 0), 'the pane starts at the bottom');
  await scrollToTop(pane);
  await pane.locator('[data-seq]').nth(shown).waitFor();

  await pane.evaluate((el) => { el.scrollTop = -300; el.dispatchEvent(new Event('scroll')); });
  // The visitor writes while the agent reads older messages.
  await visitor.locator('textarea.kefu-input').fill('visitor writes while the agent reads');
  await visitor.locator('textarea.kefu-input').press('Enter');
  const back = page.locator('button.kc-new-messages');
  await back.waitFor();
  await back.click();
  await back.waitFor({ state: 'detached' });
  assert.ok(await pane.evaluate((el) => el.scrollTop === 0), 'the pane is back at the bottom');
});

// The walking skeleton, end to end: demo page → widget-loader.js → Yew widget in a
// shadow root → WebSocket → kefu-server (SQLite) → an agent over the real protocol
// → reply → reload keeps history → server restart: the widget reconnects by itself
// and a message sent afterwards arrives exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freePort, tempDataDir, cleanup } from './support/server.mjs';
import { openBrowser } from './support/browser.mjs';
import { AgentClient, agentLogin } from './support/agent.mjs';

const bubbleTexts = (page, flow) =>
  page.locator(`.kefu-msg[data-flow="${flow}"] .kefu-text`).allTextContents();

async function openChat(page) {
  const launcher = page.locator('button.kefu-launcher');
  await launcher.waitFor({ state: 'visible', timeout: 30_000 });
  await launcher.click();
  await page.locator('textarea.kefu-input').waitFor({ state: 'visible' });
}

async function send(page, text) {
  await page.locator('textarea.kefu-input').fill(text);
  await page.locator('button.kefu-send').click();
  await page.locator(`.kefu-msg[data-flow="out"][data-status="sent"] .kefu-text`, { hasText: text }).first().waitFor();
}

test('visitor and agent chat across reload and a server restart', async (t) => {
  const dataDir = tempDataDir();
  const port = await freePort();
  let server = await startServer({ port, dataDir });
  const browser = await openBrowser();
  t.after(async () => {
    await browser.close();
    await server.stop();
    cleanup(dataDir);
  });
  const { page, errors } = browser;

  // The demo page embeds the widget with one script tag; nothing else.
  await page.goto(`${server.url}/`);
  assert.equal(await page.locator('script[src$="widget-loader.js"]').count(), 1);
  await openChat(page);

  const token = await agentLogin(server.url);
  let agent = await AgentClient.connect(server.url, token);

  // Visitor → agent.
  await send(page, 'hello');
  const incoming = await agent.nextText('hello');
  assert.equal(incoming.message.flow, 'in');
  assert.match(incoming.message.from, /^visitor:/);
  const conversationID = incoming.message.conversationID;

  // Agent → visitor.
  const ack = await agent.sendText(conversationID, 'Hi! How can I help you today?');
  assert.equal(ack.type, 'ack');
  await page.locator('.kefu-msg[data-flow="in"] .kefu-text', { hasText: 'How can I help' }).waitFor();

  // Reload: the visitor token in localStorage resumes the same conversation and its history.
  await page.reload();
  await openChat(page);
  await page.locator('.kefu-msg[data-flow="in"] .kefu-text', { hasText: 'How can I help' }).waitFor();
  assert.deepEqual(await bubbleTexts(page, 'out'), ['hello']);
  assert.deepEqual(await bubbleTexts(page, 'in'), ['Hi! How can I help you today?']);

  // Restart the server on the same port and data directory.
  const exit = await server.stop();
  assert.equal(exit.code, 0, `graceful shutdown exits 0, got ${JSON.stringify(exit)}\n${server.output()}`);
  await agent.closed;
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ state: 'detached', timeout: 15_000 });
  // Typed while the server is down: shown as pending, sent by itself after reconnect.
  await page.locator('textarea.kefu-input').fill('sent while offline');
  await page.locator('button.kefu-send').click();
  await page.locator('.kefu-msg[data-flow="out"]:not([data-status="sent"]) .kefu-text', { hasText: 'sent while offline' }).waitFor();

  server = await startServer({ port, dataDir });
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 30_000 });
  agent = await AgentClient.connect(server.url, token);
  const resentBubble = page.locator('.kefu-msg[data-flow="out"] .kefu-text', { hasText: 'sent while offline' });
  // A failed (timed-out) send offers "Resend"; a still-pending one goes out by itself.
  const resend = page.locator('.kefu-msg[data-status="failed"] .kefu-resend');
  if (await resend.count()) await resend.click();
  await page.locator('.kefu-msg[data-flow="out"][data-status="sent"] .kefu-text', { hasText: 'sent while offline' }).waitFor();
  assert.equal(await resentBubble.count(), 1);

  await send(page, 'after restart');
  await agent.nextText('after restart');

  // Exactly once: in the store, at the agent, and on the visitor's screen.
  // (The bot's welcome messages are stored too; the typed ones are the text messages.)
  const stored = await agent.syncAll(conversationID, 0);
  const texts = stored.filter((m) => m.type === 'text');
  assert.deepEqual(texts.map((m) => m.payload.text), ['hello', 'Hi! How can I help you today?', 'sent while offline', 'after restart']);
  assert.deepEqual(stored.map((m) => m.sequence), stored.map((_, i) => i + 1), 'contiguous, no gaps, no duplicates');
  assert.deepEqual(await bubbleTexts(page, 'out'), ['hello', 'sent while offline', 'after restart']);
  await agent.close();

  assert.deepEqual(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|net::/.test(e)), []);
});

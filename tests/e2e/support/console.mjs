// The agent console's test world: a fresh server with the demo site (automatic
// assignment off: agents accept) and a second agent, browsers that sign in to
// the console, and visitors speaking the WebSocket protocol directly (what the
// widget would send), all torn down after the test.
import assert from 'node:assert/strict';
import { admin, startServer, freePort, tempDataDir, cleanup } from './server.mjs';
import { openBrowser } from './browser.mjs';
import { AgentClient } from './agent.mjs';

export const B_PASSWORD = 'mei-e2e-password-1';

/**
 * A server with the demo site and agent B (`mei`, named `bName`), started with
 * `env` besides the usual; `open(options)`
 * opens a browser (options go to openBrowser), `visitor()` connects a visitor.
 */
export async function world(t, { bName = 'Mei', env = {} } = {}) {
  const dataDir = tempDataDir();
  const server = await startServer({ port: await freePort(), dataDir, env });
  const browsers = [];
  const sockets = [];
  t.after(async () => {
    for (const s of sockets) await s.close();
    for (const b of browsers) await b.close();
    await server.stop();
    cleanup(dataDir);
  });
  await admin(server.url, 'PUT', '/sites/demo', { name: 'Kefu Demo Store', autoAssign: false });
  await admin(server.url, 'POST', '/sites/demo/agents', { username: 'mei', name: bName, password: B_PASSWORD });
  const open = async (options = {}) => {
    const b = await openBrowser(options);
    browsers.push(b);
    return b;
  };
  const visitor = async () => {
    const v = await VisitorClient.connect(server.url);
    sockets.push(v);
    return v;
  };
  return { server, open, visitor, dataDir };
}

/** Sign in to the console; resolves once the tabs show. */
export async function signIn(browser, baseUrl, username, password) {
  const { page } = browser;
  const res = await page.goto(`${baseUrl}/console/`);
  // Served under a strict policy (and the console must work under it: any
  // violation is a page error, which the tests assert there are none of).
  const policy = res.headers()['content-security-policy'] ?? '';
  assert.match(policy, /^script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+';/);
  assert.match(policy, /frame-ancestors 'none'/);
  assert.doesNotMatch(policy, /unsafe-inline/);
  assert.equal(res.headers()['x-frame-options'], 'DENY');
  const form = page.locator('form.kc-login');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
  await page.locator('button.kc-tab[data-tab="queue"]').waitFor({ timeout: 30_000 });
  return page;
}

/** A visitor on the demo site over the real protocol, with one conversation. */
export class VisitorClient extends AgentClient {
  static async connect(baseUrl) {
    const v = new VisitorClient(baseUrl.replace(/^http/, 'ws') + '/ws');
    await v.opened;
    v.send({ type: 'hello', protocolVersion: 1, site: 'demo', locale: 'en' });
    const ready = await v.next((f) => f.type === 'ready' || f.type === 'error');
    assert.equal(ready.type, 'ready', JSON.stringify(ready));
    v.conversationID = ready.conversations[0].conversationID;
    v.identity = ready.identity.id;
    return v;
  }

  /** Send a text; resolves with its ack. */
  say(text) {
    return this.sendText(this.conversationID, text, `v-${Date.now()}-${Math.random()}`);
  }

  /** Ask for a human (in `category`, if given); resolves once queued. */
  async requestHuman(category) {
    this.send({ type: 'requestHuman', conversationID: this.conversationID, ...(category ? { category } : {}) });
    await this.next((f) => f.type === 'session' && f.session.state === 'queued');
  }

  /** Leave a message; resolves once stored. */
  async leaveMessage(name, contact, message) {
    this.send({ type: 'leaveMessage', conversationID: this.conversationID, name, contact, message });
    await this.next((f) => f.type === 'messageLeft' || f.type === 'error').then((f) => assert.equal(f.type, 'messageLeft', JSON.stringify(f)));
  }
}

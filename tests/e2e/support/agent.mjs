// An agent speaking the real WebSocket protocol (crates/protocol), as the agent
// console will: sign in over HTTP, say hello, send, sync, and wait for frames.
import WebSocket from 'ws';
import { DEMO_PASSWORD } from './server.mjs';

export async function agentLogin(baseUrl, username = 'demo', password = DEMO_PASSWORD) {
  const res = await fetch(`${baseUrl}/api/v1/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`agent login failed: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

export class AgentClient {
  /** Connect, say hello with the agent token, resolve after `ready`. */
  static async connect(baseUrl, token) {
    const client = new AgentClient(baseUrl.replace(/^http/, 'ws') + '/ws');
    await client.opened;
    client.send({ type: 'hello', protocolVersion: 1, token });
    client.ready = await client.next((f) => f.type === 'ready' || f.type === 'error');
    if (client.ready.type !== 'ready') throw new Error(`hello refused: ${JSON.stringify(client.ready)}`);
    return client;
  }

  constructor(url) {
    this.frames = [];
    this.waiters = [];
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
    this.ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => !w(frame));
    });
  }

  send(frame) { this.ws.send(JSON.stringify(frame)); }

  /** The next frame (already received or future) matching `pred`. */
  next(pred, timeoutMs = 15_000) {
    const seen = this.frames.find(pred);
    if (seen) { this.frames.splice(this.frames.indexOf(seen), 1); return Promise.resolve(seen); }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`)), timeoutMs);
      this.waiters.push((frame) => {
        if (!pred(frame)) return false;
        clearTimeout(timer);
        this.frames.splice(this.frames.indexOf(frame), 1);
        resolve(frame);
        return true;
      });
    });
  }

  /** Wait for a `message` frame whose text is `text`. */
  nextText(text, timeoutMs) {
    return this.next((f) => f.type === 'message' && f.message.payload?.text === text, timeoutMs);
  }

  /** Send a text message and resolve with its ack. */
  async sendText(conversationID, text, clientMsgID = `agent-${Date.now()}-${Math.random()}`) {
    this.send({ type: 'send', conversationID, clientMsgID, body: { type: 'text', payload: { text } } });
    return this.next((f) => (f.type === 'ack' || f.type === 'error') && f.clientMsgID === clientMsgID);
  }

  /** Every stored message after `afterSequence`, via `sync` … `synced`. */
  async syncAll(conversationID, afterSequence = 0) {
    // Forget live pushes already buffered, so only the replay is counted.
    this.frames = this.frames.filter((f) => !(f.type === 'message' && f.message.conversationID === conversationID));
    this.send({ type: 'sync', conversationID, afterSequence });
    const synced = await this.next((f) => f.type === 'synced' && f.conversationID === conversationID);
    const messages = this.frames.filter((f) => f.type === 'message' && f.message.conversationID === conversationID && f.message.sequence > afterSequence && f.message.sequence <= synced.lastSequence);
    this.frames = this.frames.filter((f) => !messages.includes(f));
    return messages.map((f) => f.message);
  }

  close() { this.ws.close(1000); return this.closed; }
}

// IM gestures between a visitor (the widget) and a signed-in agent (the console),
// each in their own Chromium: typing both ways, read receipts, revoke with re-edit
// (and a revoke after the window), delete for oneself, the tab-title flash and the
// opt-in sound while the visitor's page is hidden, and resending after a dropped
// connection with the same clientMsgID (one stored message).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freePort, tempDataDir, cleanup, DEMO_PASSWORD } from './support/server.mjs';
import { openBrowser } from './support/browser.mjs';
import { startHost } from './support/host.mjs';

/** A fresh server (with `env`), and browsers closed after the test. */
async function world(t, env = {}) {
  const dataDir = tempDataDir();
  const server = await startServer({ port: await freePort(), dataDir, env });
  const browsers = [];
  const hosts = [];
  t.after(async () => {
    for (const b of browsers) await b.close();
    for (const h of hosts) await h.close();
    await server.stop();
    cleanup(dataDir);
  });
  const open = async () => {
    const b = await openBrowser();
    browsers.push(b);
    return b;
  };
  const host = async () => {
    const h = await startHost({ server: server.url });
    hosts.push(h);
    return h;
  };
  return { server, open, host };
}

/** The agent signs in to the console; resolves once the tabs show. */
async function signIn(page, baseUrl) {
  await page.goto(`${baseUrl}/console/`);
  const form = page.locator('form.kc-login');
  await form.locator('input[name="username"]').fill('demo');
  await form.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await form.locator('button[type="submit"]').click();
  await page.locator('button.kc-tab[data-tab="mine"]').waitFor({ timeout: 30_000 });
}

/**
 * The visitor at `url` opens the chat and asks for a human; the signed-in agent
 * gets the conversation (automatic assignment) and opens it. Returns its ID.
 */
async function talkToAgent(visitor, agent, url) {
  await visitor.goto(url);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('button.kefu-human').click({ timeout: 15_000 });
  await visitor.locator('.kefu-system[data-sub="reception"]').waitFor({ timeout: 15_000 });
  const row = agent.locator('.kc-conv').first();
  await row.waitFor();
  const id = await row.getAttribute('data-conversation-id');
  await row.click();
  await agent.locator(`.kc-pane[data-conversation-id="${id}"] textarea.kc-input`).waitFor();
  return id;
}

async function visitorSays(visitor, text) {
  const input = visitor.locator('textarea.kefu-input');
  await input.fill(text);
  await input.press('Enter');
  await visitor.locator('.kefu-msg--out[data-status="sent"]', { hasText: text }).waitFor();
}

async function agentSays(agent, text) {
  const input = agent.locator('textarea.kc-input');
  await input.fill(text);
  await input.press('Enter');
  await agent.locator('.kc-pane .kefu-msg--out[data-status="sent"]', { hasText: text }).waitFor();
}

/** Open a message's "⋯" menu and pick `action` (`revoke` or `delete`). */
async function act(message, action) {
  await message.hover();
  await message.locator('summary.kefu-more').click();
  await message.locator(`button.kefu-${action}`).click();
}

/** Make the page hidden (or visible again) as a tab switch would, and tell it. */
async function setHidden(page, hidden) {
  await page.evaluate((hidden) => {
    if (hidden) {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    } else {
      delete document.visibilityState;
      delete document.hidden;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

const noErrors = (errors) => errors.filter((e) => !/WebSocket|net::|Notification/.test(e));

test('typing both ways, read receipts, revoke with re-edit, delete for oneself', async (t) => {
  const { server, open } = await world(t);
  const [a, v] = [await open(), await open()];
  await signIn(a.page, server.url);
  const agent = a.page;
  const visitor = v.page;
  await talkToAgent(visitor, agent, `${server.url}/`);

  // The visitor types: the agent's pane says so, until the message arrives.
  await visitor.locator('textarea.kefu-input').pressSequentially('hello');
  const agentTyping = agent.locator('.kc-typing', { hasText: 'Visitor is typing…' });
  await agentTyping.waitFor();
  await visitor.locator('textarea.kefu-input').fill('');
  await visitorSays(visitor, 'hello agent');
  await agent.locator('.kc-pane .kefu-msg--in', { hasText: 'hello agent' }).waitFor();
  await agentTyping.waitFor({ state: 'detached' });

  // The agent has the conversation open: the visitor's message shows "Read".
  await visitor.locator('.kefu-msg--out', { hasText: 'hello agent' }).locator('.kefu-read', { hasText: 'Read' }).waitFor();

  // The agent types: the widget names them above the composer, politely live.
  await agent.locator('textarea.kc-input').pressSequentially('hi');
  const visitorTyping = visitor.locator('.kefu-typing[aria-live="polite"]', { hasText: 'Demo Agent is typing…' });
  await visitorTyping.waitFor();
  await agent.locator('textarea.kc-input').fill('');
  await agentSays(agent, 'hi visitor');
  await visitor.locator('.kefu-msg--in', { hasText: 'hi visitor' }).waitFor();
  await visitorTyping.waitFor({ state: 'detached' });
  // The visitor has the chat open and the page in front: the agent sees "Read".
  await agent.locator('.kc-pane .kefu-msg--out', { hasText: 'hi visitor' }).locator('.kefu-read').waitFor();

  // The visitor revokes their message: both sides show the line; Re-edit refills.
  await act(visitor.locator('.kefu-msg--out', { hasText: 'hello agent' }), 'revoke');
  const ownLine = visitor.locator('.kefu-msg--system .kefu-revoked', { hasText: 'You revoked a message' });
  await ownLine.waitFor();
  await agent.locator('.kc-pane .kefu-revoked', { hasText: 'Visitor revoked a message' }).waitFor();
  assert.equal(await agent.locator('.kc-pane .kefu-msg', { hasText: 'hello agent' }).count(), 0, 'the text is gone for the agent');
  await ownLine.locator('button.kefu-reedit').click();
  assert.equal(await visitor.locator('textarea.kefu-input').inputValue(), 'hello agent');
  await visitor.locator('textarea.kefu-input').fill('');

  // The agent revokes theirs: the visitor sees it by name.
  await act(agent.locator('.kc-pane .kefu-msg--out', { hasText: 'hi visitor' }), 'revoke');
  await visitor.locator('.kefu-revoked', { hasText: 'Demo Agent revoked a message' }).waitFor();
  const agentLine = agent.locator('.kc-pane .kefu-revoked', { hasText: 'You revoked a message' });
  await agentLine.waitFor();
  // The console's Re-edit (the same button as the widget's) refills the pane's box.
  await agentLine.locator('button.kefu-reedit').click();
  assert.equal(await agent.locator('.kc-pane textarea.kc-input').inputValue(), 'hi visitor');
  await agent.locator('.kc-pane textarea.kc-input').fill('');
  assert.equal(await visitor.locator('.kefu-msg', { hasText: 'hi visitor' }).count(), 0);
  // The console takes the widget's palette (agent.css changes only a few): its
  // bubbles have the widget's rounded corners.
  const radius = await agent.locator('.kc-pane .kefu-bubble').first()
    .evaluate((el) => getComputedStyle(el).borderTopLeftRadius);
  assert.equal(radius, '18px');
  // A revoked message has no actions left.
  assert.equal(await visitor.locator('.kefu-msg--system .kefu-actions').count(), 0);

  // Delete for oneself: gone on that side only, and it stays gone after a reload.
  await agentSays(agent, 'only the agent keeps this');
  const kept = visitor.locator('.kefu-msg--in', { hasText: 'only the agent keeps this' });
  await kept.waitFor();
  await act(kept, 'delete');
  await kept.waitFor({ state: 'detached' });
  await visitorSays(visitor, 'only the visitor keeps this');
  const mine = agent.locator('.kc-pane .kefu-msg--in', { hasText: 'only the visitor keeps this' });
  await mine.waitFor();
  await act(mine, 'delete');
  await mine.waitFor({ state: 'detached' });
  await agent.locator('.kc-pane .kefu-msg--out', { hasText: 'only the agent keeps this' }).waitFor();
  await visitor.locator('.kefu-msg--out', { hasText: 'only the visitor keeps this' }).waitFor();

  await visitor.reload();
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg--out', { hasText: 'only the visitor keeps this' }).waitFor();
  await visitor.locator('.kefu-revoked', { hasText: 'You revoked a message' }).waitFor();
  assert.equal(await visitor.locator('.kefu-msg', { hasText: 'only the agent keeps this' }).count(), 0);
  assert.deepEqual(noErrors(v.errors), []);
  assert.deepEqual(noErrors(a.errors), []);
});

test('a revoke after the window shows a notice and changes nothing', async (t) => {
  const { server, open } = await world(t, { KEFU_REVOKE_WINDOW_SECS: '1' });
  const v = await open();
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitorSays(visitor, 'too late to take back');
  const message = visitor.locator('.kefu-msg--out', { hasText: 'too late to take back' });
  const stored = Date.parse(await message.locator('time').getAttribute('datetime'));
  // A visitor whose clock lags: the widget still offers "Revoke" (its clock stays
  // at the message's time) after the server's one-second window has passed.
  await visitor.clock.setFixedTime(stored);
  while (Date.now() < stored + 1_500) await new Promise((r) => setTimeout(r, 100));
  await act(message, 'revoke');
  await visitor.locator('.kefu-conn--notice', { hasText: 'This message can no longer be revoked.' }).waitFor();
  assert.equal(await message.count(), 1, 'the message is still there');
  assert.equal(await visitor.locator('.kefu-revoked').count(), 0);
  // And after a reload the server still has it, unrevoked.
  await visitor.clock.setFixedTime(Date.now());
  await visitor.reload();
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg--out', { hasText: 'too late to take back' }).waitFor();
  assert.equal(await visitor.locator('.kefu-revoked').count(), 0);
  assert.deepEqual(noErrors(v.errors), []);
});

test('while the page is hidden: the title flashes, the opted-in sound plays, nothing is marked read', async (t) => {
  const { server, open, host } = await world(t);
  const [a, v] = [await open(), await open()];
  const site = await host();
  await signIn(a.page, server.url);
  const agent = a.page;
  const visitor = v.page;
  // Count beeps: a stand-in AudioContext with the calls the widget makes.
  await visitor.addInitScript(() => {
    window.__beeps = 0;
    const param = () => ({ value: 0 });
    window.AudioContext = class {
      get currentTime() { return 0; }
      get destination() { return {}; }
      createGain() { return { gain: param(), connect: (n) => n }; }
      createOscillator() {
        return { frequency: param(), connect: (n) => n, start() { window.__beeps += 1; }, stop() {} };
      }
    };
  });
  await talkToAgent(visitor, agent, `${site.url}/plain.html?data-sound=on`);
  const title = await visitor.title();
  assert.equal(title, 'Plain host');

  await setHidden(visitor, true);
  await agentSays(agent, 'are you still there?');
  await visitor.waitForFunction(() => document.title === '(1) New message');
  await visitor.waitForFunction((t) => document.title === t, title); // it alternates
  await visitor.waitForFunction(() => document.title === '(1) New message');
  await visitor.waitForFunction(() => window.__beeps === 1);
  await agentSays(agent, 'hello?');
  await visitor.waitForFunction(() => document.title === '(2) New message');
  await visitor.waitForFunction(() => window.__beeps === 2);
  // Hidden: not read yet.
  const last = agent.locator('.kc-pane .kefu-msg--out', { hasText: 'hello?' });
  assert.equal(await last.locator('.kefu-read').count(), 0);

  // Visible again: the host's own title, exactly, and the agent sees "Read".
  await setHidden(visitor, false);
  assert.equal(await visitor.title(), title);
  await last.locator('.kefu-read').waitFor();
  // The flash stopped: a full tick later the title is still the host's.
  await new Promise((r) => setTimeout(r, 1_300));
  assert.equal(await visitor.title(), title);
  assert.deepEqual(noErrors(v.errors), []);
});

test('a send whose ack is lost with the connection is resent with its clientMsgID and stored once', async (t) => {
  const { server, open } = await world(t);
  const [a, v] = [await open(), await open()];
  await signIn(a.page, server.url);
  const agent = a.page;
  const visitor = v.page;
  // Every frame the widget sends passes through here; the ack of the first
  // "survives a drop" is swallowed and the connection dropped instead.
  const sends = [];
  let target = null;
  let dropped = false;
  await visitor.routeWebSocket(/\/ws$/, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((m) => {
      const f = JSON.parse(m);
      if (f.type === 'send' && f.body?.payload?.text === 'survives a drop') {
        sends.push(f.clientMsgID);
        target ??= f.clientMsgID;
      }
      upstream.send(m);
    });
    upstream.onMessage((m) => {
      const f = JSON.parse(m);
      if (!dropped && f.type === 'ack' && f.clientMsgID === target) {
        dropped = true;
        ws.close({ code: 4000, reason: 'dropped' });
        upstream.close();
        return;
      }
      ws.send(m);
    });
  });
  await talkToAgent(visitor, agent, `${server.url}/`);

  await visitorSays(visitor, 'survives a drop');
  assert.ok(dropped, 'the first ack was lost');
  assert.ok(sends.length >= 2, `sent again after the reconnect (${sends.length})`);
  assert.ok(sends.every((id) => id === target), 'every attempt carries the same clientMsgID');
  const seen = agent.locator('.kc-pane .kefu-msg', { hasText: 'survives a drop' });
  await seen.first().waitFor();
  assert.equal(await seen.count(), 1, 'the agent sees it once');
  assert.equal(await visitor.locator('.kefu-msg', { hasText: 'survives a drop' }).count(), 1);

  // Offline: the send waits, fails after the ack timeout; back online, "Resend".
  await v.context.setOffline(true);
  await visitor.locator('.kefu-app[data-conn="offline"]').waitFor();
  await visitor.locator('textarea.kefu-input').fill('typed while offline');
  await visitor.locator('textarea.kefu-input').press('Enter');
  const offline = visitor.locator('.kefu-msg--out', { hasText: 'typed while offline' });
  await offline.and(visitor.locator('[data-status="pending"]')).waitFor();
  await offline.and(visitor.locator('[data-status="failed"]')).waitFor({ timeout: 20_000 });
  await v.context.setOffline(false);
  await visitor.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 20_000 });
  await offline.locator('button.kefu-resend').click();
  await offline.and(visitor.locator('[data-status="sent"]')).waitFor();
  const got = agent.locator('.kc-pane .kefu-msg', { hasText: 'typed while offline' });
  await got.first().waitFor();
  assert.equal(await got.count(), 1);
  assert.equal(await offline.count(), 1);
});

// Long text never breaks the widget's layout (issue 19): a 200-character word as the
// window title, the serving agent's name (header, reception line, sender), a category
// (60, its limit), an agent's message and a file name. Everything wraps or ellipsizes
// inside the window, the close button stays where it is and can be clicked, and
// nothing scrolls sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openGuest } from './support/guest.mjs';
import { AgentClient, agentLogin } from './support/agent.mjs';
import { ADMIN_TOKEN } from './support/server.mjs';

const WORD = 'W'.repeat(200);

/** Every element of the window that reaches outside it, and the scrollers that scroll sideways. */
async function overflow(page) {
  return page.evaluate(() => {
    const root = document.querySelector('kefu-widget').shadowRoot;
    const win = root.querySelector('.kefu-window');
    const box = win.getBoundingClientRect();
    const out = [];
    for (const el of win.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
        out.push(`${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className}: ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(box.left)}–${Math.round(box.right)}`);
      }
    }
    // The window, and every box inside it that scrolls: none may scroll sideways.
    for (const el of [win, ...win.querySelectorAll('*')]) {
      const scrolls = el === win || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
      if (scrolls && el.scrollWidth > el.clientWidth + 1) {
        out.push(`${el.tagName.toLowerCase()}.${el.className}: scrolls sideways (${el.scrollWidth} in ${el.clientWidth})`);
      }
    }
    const close = root.querySelector('.kefu-close').getBoundingClientRect();
    const hit = root.elementFromPoint(close.x + close.width / 2, close.y + close.height / 2);
    if (!hit?.closest('.kefu-close')) out.push('the close button is covered');
    return out;
  });
}

test('a 200-character word in every field the widget shows overflows nothing', async (t) => {
  const { server, host, page, errors } = await openGuest(t);
  const admin = (method, path, body) => fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });
  const category = 'C'.repeat(60);
  let res = await admin('PUT', '/sites/demo', { name: 'Kefu Demo Store', autoAssign: false, categories: [{ id: 'long', name: category }] });
  assert.equal(res.status, 200, await res.text());
  res = await admin('POST', '/sites/demo/agents', { username: 'long', name: WORD, password: 'a-long-enough-password' });
  assert.equal(res.status, 201, await res.text());
  const agent = await AgentClient.connect(server.url, await agentLogin(server.url, 'long', 'a-long-enough-password'));
  t.after(() => agent.close());

  await page.goto(`${host.url}/plain.html?data-title=${WORD}`);
  await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
  await page.locator('button.kefu-human').click();
  await page.locator('button.kefu-category[data-category="long"]').waitFor();
  assert.deepEqual(await overflow(page), [], 'title and the category choice');

  await page.locator('button.kefu-category[data-category="long"]').click();
  const queue = await agent.next((f) => f.type === 'queue' && f.entries.length === 1);
  const conversationID = queue.entries[0].conversationID;
  agent.send({ type: 'accept', conversationID });
  await agent.sendText(conversationID, `Hello ${WORD}`);
  await page.locator('.kefu-msg[data-flow="in"] .kefu-text', { hasText: 'Hello' }).waitFor({ timeout: 15_000 });
  await page.locator('.kefu-header .kefu-agent-name').waitFor();
  await page.locator('input.kefu-file-input').setInputFiles({ name: `${WORD}.txt`, mimeType: 'text/plain', buffer: Buffer.from('words') });
  await page.locator('.kefu-msg--out .kefu-file .kefu-download').waitFor({ timeout: 15_000 });
  await page.mouse.move(0, 0);
  assert.deepEqual(await overflow(page), [], 'served by the agent, with their message and a file');
  // The full name is there for whoever points at the ellipsis.
  assert.equal(await page.locator('.kefu-header .kefu-agent-name').getAttribute('title'), WORD);
  assert.equal(await page.locator('.kefu-header .kefu-title').getAttribute('title'), WORD);

  // The close button still closes.
  await page.locator('.kefu-close').click();
  await page.locator('.kefu-window[hidden]').waitFor({ state: 'attached' });
  assert.deepEqual(errors, []);
});

// Everything a person typed renders as text: hostile HTML from an agent and from the
// visitor shows up literally inside the widget and creates no element, runs no script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDemoChat } from './support/demo.mjs';
import { AgentClient, agentLogin } from './support/agent.mjs';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';

test('hostile HTML in messages is shown as text', async (t) => {
  const { server, page } = await openDemoChat(t);

  const agent = await AgentClient.connect(server.url, await agentLogin(server.url));
  await page.locator('textarea.kefu-input').fill(HOSTILE);
  await page.locator('button.kefu-send').click();
  const incoming = await agent.nextText(HOSTILE);
  await agent.sendText(incoming.message.conversationID, HOSTILE);

  const bubbles = page.locator('.kefu-msg .kefu-text', { hasText: 'onerror' });
  await bubbles.nth(1).waitFor();
  assert.deepEqual(await bubbles.allTextContents(), [HOSTILE, HOSTILE]);
  assert.equal(await page.locator('.kefu-text img, .kefu-text script, .kefu-text b, .kefu-messages [onerror]').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await agent.close();
});

// axe-core inside the widget's shadow root, in both themes (issue 6): the closed
// launcher, and the open window with a conversation in it, report no violation of
// WCAG 2.1 A/AA (colour contrast included) or axe's best practices. (`region` is
// off: landmarks are the host page's business, the widget is a dialog on top.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openGuest } from './support/guest.mjs';
import { AgentClient, agentLogin } from './support/agent.mjs';
import { ADMIN_TOKEN } from './support/server.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** axe's violations inside the widget, as readable lines. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(
      { include: [['kefu-widget']] },
      // preload: false: axe would re-fetch widget.css with CORS to parse it (for
      // css-orientation-lock); the widget has no orientation lock to find.
      { runOnly: { type: 'tag', values: tags }, rules: { region: { enabled: false } }, preload: false },
    );
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`));
  }, TAGS);
}

for (const theme of ['light', 'dark']) {
  test(`axe: no violations in the widget, ${theme} theme`, async (t) => {
    const { host, page, errors } = await openGuest(t);
    await page.goto(`${host.url}/plain.html?data-theme=${theme}`);
    const launcher = page.locator('button.kefu-launcher');
    await launcher.waitFor({ timeout: 30_000 });
    assert.deepEqual(await violations(page), [], 'closed');

    await launcher.click();
    await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
    await page.locator('textarea.kefu-input').fill('hello, is anyone there?');
    await page.locator('button.kefu-send').click();
    await page.locator('.kefu-msg--out[data-status="sent"]').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1_000); // the bot's answer, if any, is in
    await page.mouse.move(0, 0);
    assert.deepEqual(await violations(page), [], 'open, with messages');
    assert.deepEqual(errors, []);
  });
}

// The service states have their own controls: the category choice, the
// leave-a-message form, the queue footer, the agent's messages and the rating form.
for (const theme of ['light', 'dark']) {
  test(`axe: no violations in the category, leave-message, queue and rating states, ${theme} theme`, async (t) => {
    const { server, host, page, errors } = await openGuest(t);
    // The site's service categories, no agent online yet: the choice, then the
    // leave-a-message form.
    const site = async (body) => {
      const res = await fetch(`${server.url}/api/v1/sites/demo`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ name: 'Kefu Demo Store', ...body }),
      });
      assert.equal(res.status, 200, await res.text());
    };
    await site({ categories: [{ id: 'sales', name: 'Sales' }, { id: 'support', name: 'Support' }] });
    await page.goto(`${host.url}/plain.html?data-theme=${theme}`);
    await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
    await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
    await page.locator('button.kefu-human').click();
    await page.locator('button.kefu-category[data-category="sales"]').waitFor();
    await page.mouse.move(0, 0);
    assert.deepEqual(await violations(page), [], 'category choice');
    await page.locator('button.kefu-category[data-category="sales"]').click();
    await page.locator('.kefu-leave').waitFor({ timeout: 15_000 });
    await page.mouse.move(0, 0);
    assert.deepEqual(await violations(page), [], 'leave-a-message form');

    // An agent online, automatic assignment off: the visitor tries again from the
    // form ("Talk to a human" is not offered under it), then the queue footer.
    await site({ autoAssign: false });
    const agent = await AgentClient.connect(server.url, await agentLogin(server.url));
    t.after(() => agent.close());
    await page.locator('.kefu-leave button.kefu-leave-retry').click();
    await page.locator('button.kefu-category[data-category="support"]').click();
    await page.locator('.kefu-queue').waitFor();
    await page.mouse.move(0, 0);
    assert.deepEqual(await violations(page), [], 'queued');

    // Served, answered, ended: the rating form.
    const queue = await agent.next((f) => f.type === 'queue' && f.entries.length === 1);
    const conversationID = queue.entries[0].conversationID;
    agent.send({ type: 'accept', conversationID });
    await agent.sendText(conversationID, 'Hello, how can I help?');
    await page.locator('.kefu-msg[data-flow="in"] .kefu-text', { hasText: 'how can I help' }).waitFor();
    agent.send({ type: 'endSession', conversationID });
    await page.locator('button.kefu-rate-open').click();
    await page.locator('.kefu-rating button.kefu-star[data-star="4"]').waitFor();
    await page.mouse.move(0, 0);
    assert.deepEqual(await violations(page), [], 'rating form');
    assert.deepEqual(errors, []);
  });
}

// The whole host page, not only the widget: a widget adds no landmark (its window
// header was a second `banner`), and the launcher's name holds the badge's number.
// (`region` stays the host page's business: the widget is a dialog on top of it.)
const PAGE_RULES = ['landmark-no-duplicate-banner', 'landmark-unique', 'landmark-banner-is-top-level',
  'landmark-one-main', 'page-has-heading-one', 'label-content-name-mismatch'];

async function pageViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async (rules) => {
    const result = await window.axe.run(document, { runOnly: { type: 'rule', values: rules }, preload: false });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  }, PAGE_RULES);
}

for (const theme of ['light', 'dark']) {
  test(`axe on the whole host page: no landmark from the widget, the launcher's name holds its badge, ${theme} theme`, async (t) => {
    const { server, host, page, errors } = await openGuest(t);
    await page.goto(`${host.url}/landmarks.html?data-theme=${theme}`);
    const launcher = page.locator('button.kefu-launcher');
    await launcher.waitFor({ timeout: 30_000 });
    await page.locator('.kefu-app[data-conn="online"]').waitFor({ timeout: 15_000 });
    assert.deepEqual(await pageViolations(page), [], 'closed');

    // An agent writes while the window is closed: the badge shows.
    const agent = await AgentClient.connect(server.url, await agentLogin(server.url));
    t.after(() => agent.close());
    await launcher.click();
    await page.locator('button.kefu-human').click();
    const queue = await agent.next((f) => f.type === 'queue' && f.entries.length === 1);
    const conversationID = queue.entries[0].conversationID;
    agent.send({ type: 'accept', conversationID });
    await page.locator('.kefu-header .kefu-agent-name').waitFor({ timeout: 15_000 });
    await page.mouse.move(0, 0);
    assert.deepEqual(await pageViolations(page), [], 'open, served');
    await page.locator('.kefu-close').click();
    await agent.sendText(conversationID, 'Are you still there?');
    await page.locator('.kefu-badge').waitFor({ timeout: 15_000 });
    assert.match(await launcher.getAttribute('aria-label'), /, 1 unread messages$/);
    assert.deepEqual(await pageViolations(page), [], 'closed, with an unread badge');
    assert.deepEqual(errors, []);
  });
}

test('keyboard: Enter opens, Tab stays in the window, Esc closes and returns focus to the launcher', async (t) => {
  const { host, page, errors } = await openGuest(t);
  await page.goto(`${host.url}/plain.html`);
  const launcher = page.locator('button.kefu-launcher');
  await launcher.waitFor({ timeout: 30_000 });
  const focused = () => page.evaluate(() => document.querySelector('kefu-widget').shadowRoot.activeElement?.className ?? null);
  await launcher.focus();
  await page.keyboard.press('Enter');
  await page.locator('.kefu-window:not([hidden])').waitFor();
  await page.waitForFunction(() => document.querySelector('kefu-widget').shadowRoot.activeElement?.className === 'kefu-input');
  const seen = new Set();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    seen.add(await focused());
  }
  assert.ok(!seen.has(null), `focus never left the widget: ${[...seen]}`);
  assert.ok(!seen.has('kefu-launcher'), 'nor went behind the open window');
  assert.ok(seen.has('kefu-close') && seen.has('kefu-send'));
  await page.keyboard.press('Escape');
  await page.locator('.kefu-window[hidden]').waitFor({ state: 'attached' });
  assert.equal(await focused(), 'kefu-launcher');
  assert.deepEqual(errors, []);
});

// The owners' screens for what a visitor leaves behind, in Chromium against a real
// server: webhooks registered from the console and delivered to a real local HTTP
// receiver (the secret shown once and verified on every body; a test that fails
// twice, is retried and lands; a left message, signed; a refused URL in the server's
// words; switched off and deleted), the reports after a chat a visitor just rated
// (the figures, the SVG charts, the comment, the CSV download, a refused range), and
// that visitor's data exported as JSON and erased from the visitor panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { admin, ADMIN_TOKEN, DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn } from './support/console.mjs';
import { png } from './support/images.mjs';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** A webhook receiver on 127.0.0.1: keeps every request; `failNext` answers 500s first. */
async function startReceiver(t) {
  const received = [];
  const waiters = [];
  const receiver = { received, failNext: 0 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const failed = receiver.failNext > 0;
      if (failed) receiver.failNext -= 1;
      received.push({ headers: req.headers, body, failed });
      res.writeHead(failed ? 500 : 204).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  receiver.url = `http://127.0.0.1:${server.address().port}/hook`;
  /** The first delivered (2xx) request whose event is `type`. */
  receiver.event = async (type) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const hit = received.find((r) => !r.failed && JSON.parse(r.body).type === type);
      if (hit) return hit;
      assert.ok(Date.now() < deadline, `no ${type} webhook arrived`);
      await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 500); });
    }
  };
  return receiver;
}

/** The docs' verification (docs/webhooks.md), in Node.js. */
function verified(secret, { headers, body }) {
  const ts = headers['kefu-webhook-timestamp'];
  const mac = crypto.createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex');
  return headers['kefu-webhook-signature'] === `sha256=${mac}`;
}

async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

/** Every file under `dir` (none when it does not exist). */
function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

const noErrors = (errors) => errors.filter((e) => !/WebSocket|net::|Notification|status of 4\d\d/.test(e));

test('webhooks from the console: the secret once, a test that fails twice then lands, a left message signed', async (t) => {
  const receiver = await startReceiver(t);
  const { server, open, visitor } = await world(t, { env: { KEFU_WEBHOOK_RETRY_BASE_MS: '300' } });
  const b = await open();
  const page = await signIn(b, server.url, 'demo', DEMO_PASSWORD);
  await page.locator('button.kc-webhooks-open').click();
  const screen = page.locator('section.kc-webhooks');
  await screen.locator('.kc-empty').waitFor();

  // A URL the server refuses: its words, nothing registered.
  const form = screen.locator('form.kc-webhook-add');
  await form.locator('input[name="url"]').fill('http://hooks.example.com/kefu');
  await form.locator('button.kc-webhook-add-submit').click();
  await screen.locator('.kc-webhooks-error', { hasText: /https/i }).waitFor();
  assert.equal(await screen.locator('li.kc-webhook').count(), 0);

  // Registered for every event (all ticked): the secret shows once.
  await form.locator('input[name="url"]').fill(receiver.url);
  await form.locator('button.kc-webhook-add-submit').click();
  const secret = (await screen.locator('.kc-webhook-secret code.kc-secret').textContent()).trim();
  assert.match(secret, /^whsec_/);
  const row = screen.locator('li.kc-webhook');
  await row.waitFor();
  assert.match(await row.locator('.kc-webhook-events').textContent(), /message\.left/);
  await screen.locator('button.kc-webhook-secret-done').click();
  await screen.locator('.kc-webhook-secret').waitFor({ state: 'detached' });

  // "Send test" to a receiver that fails twice: retried, and the log says delivered.
  receiver.failNext = 2;
  await row.locator('button.kc-webhook-test').click();
  const log = screen.locator('.kc-webhook-deliveries');
  const test = log.locator('tr.kc-delivery[data-event="webhook.test"]');
  await test.first().waitFor({ timeout: 20_000 });
  for (let i = 0; i < 40 && (await test.getAttribute('data-status')) !== 'delivered'; i++) {
    await page.waitForTimeout(500);
    await log.locator('button.kc-webhook-log-refresh').click();
  }
  assert.equal(await test.getAttribute('data-status'), 'delivered');
  assert.match(await test.locator('td').nth(3).textContent(), /^3$/);
  const tested = await receiver.event('webhook.test');
  assert.equal(receiver.received.filter((r) => r.failed).length, 2, 'two 500s before the 2xx');
  assert.ok(verified(secret, tested), 'the test is signed with the secret shown');

  // A visitor leaves a message: the receiver gets it, signed; the log lists it.
  const v = await visitor();
  await v.leaveMessage('Ann', 'ann@example.com', 'Do you ship to Iceland?');
  const left = await receiver.event('message.left');
  assert.ok(verified(secret, left));
  assert.match(left.body.toString(), /Do you ship to Iceland\?/);
  await log.locator('button.kc-webhook-log-refresh').click();
  await log.locator('tr.kc-delivery[data-event="message.left"][data-status="delivered"]').waitFor();

  // Switched off, then deleted with its log.
  // The switch moves at once and the screen is busy until the server said yes.
  await row.locator('input.kc-webhook-enabled').uncheck();
  await screen.locator('li.kc-webhook[data-enabled="false"]').waitFor();
  await page.locator('section.kc-webhooks[aria-busy="false"]').waitFor();
  const listed = await admin(server.url, 'GET', '/sites/demo/webhooks');
  assert.equal(listed.webhooks[0].enabled, false);
  await row.locator('button.kc-webhook-delete').click();
  await row.locator('button.kc-webhook-delete-confirm').click();
  await screen.locator('.kc-empty').first().waitFor();
  assert.equal(await log.count(), 0);
  assert.deepEqual((await admin(server.url, 'GET', '/sites/demo/webhooks')).webhooks, []);
  assert.deepEqual(noErrors(b.errors), []);
});

test('reports show a rating just given, as charts and CSV; the visitor is exported and erased from the panel', async (t) => {
  const { server, open, dataDir } = await world(t);
  const [a, w] = [await open(), await open()];
  const page = await signIn(a, server.url, 'demo', DEMO_PASSWORD);

  // A visitor chats with the owner, who ends; the visitor rates 4 stars with a comment.
  const visitor = w.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  await visitor.locator('button.kefu-human').click();
  await visitor.locator('.kefu-queue').waitFor();
  await visitor.locator('textarea.kefu-input').fill('Where is parcel 5150?');
  await visitor.locator('button.kefu-send').click();
  await page.locator('button.kc-tab[data-tab="queue"]').click();
  const conv = page.locator('.kc-conv').first();
  await conv.click();
  const id = await conv.getAttribute('data-conversation-id');
  const pane = page.locator(`.kc-pane[data-conversation-id="${id}"]`);
  await pane.locator('.kefu-text', { hasText: 'Where is parcel 5150?' }).waitFor();
  await pane.locator('button.kc-accept').click();
  // A photo of the parcel: an upload that the erasure must take with it.
  await visitor.locator('input.kefu-file-input').setInputFiles({
    name: 'parcel.png', mimeType: 'image/png', buffer: png(64, 48, [200, 120, 40]),
  });
  await pane.locator('.kefu-msg[data-kind="image"] button.kefu-image img').waitFor();
  assert.ok(files(join(dataDir, 'uploads')).length > 0, 'the upload is stored');
  await pane.locator('textarea.kc-input').fill('It left the warehouse today.');
  await pane.locator('textarea.kc-input').press('Enter');
  await visitor.locator('.kefu-msg', { hasText: 'It left the warehouse today.' }).waitFor();
  await pane.locator('button.kc-end').click();
  await visitor.locator('button.kefu-rate-open').click();
  await visitor.locator('.kefu-rating button.kefu-star[data-star="4"]').click();
  await visitor.locator('textarea.kefu-rating-comment').fill('Fast, thanks');
  await visitor.locator('button.kefu-rating-submit').click();
  await visitor.locator('.kefu-rated').waitFor();

  // The reports: the rating in the figures, the chart and the comments.
  await page.locator('button.kc-reports-open').click();
  const reports = page.locator('section.kc-reports');
  const csat = reports.locator('.kc-figure[data-figure="csat"] dd');
  await csat.waitFor();
  assert.match(await csat.textContent(), /4\.00 \/ 5 \(1\)/);
  assert.equal(await reports.locator('svg.kc-chart-csat g.kc-stars[data-stars="4"]').getAttribute('data-count'), '1');
  assert.equal(await reports.locator('svg.kc-chart-csat g.kc-stars[data-stars="5"]').getAttribute('data-count'), '0');
  await reports.locator('li.kc-comment[data-stars="4"]', { hasText: 'Fast, thanks' }).waitFor();
  const today = await reports.locator('input[name="to"]').inputValue();
  assert.match(today, /^\d{4}-\d{2}-\d{2}$/);
  const day = reports.locator(`svg.kc-chart-days g.kc-day[data-date="${today}"]`);
  assert.equal(await day.getAttribute('data-served'), '1');
  assert.ok(Number(await day.getAttribute('data-conversations')) >= 1);
  assert.equal(await reports.locator('svg.kc-chart-days g.kc-day').count(), 30, 'the last 30 days by default');
  assert.match(await reports.locator('.kc-figure[data-figure="served"] dd').textContent(), /^1$/);

  // One day, then its CSV: a header and that day's row with the rating.
  await reports.locator('input[name="from"]').fill(today);
  await reports.locator('button.kc-reports-show').click();
  await reports.locator('svg.kc-chart-days g.kc-day').nth(1).waitFor({ state: 'detached' });
  const csv = await downloaded(page, () => reports.locator('button.kc-reports-csv').click());
  assert.equal(csv.name, `report-demo-${today}-${today}.csv`);
  const lines = csv.text.trim().split(/\r\n/);
  assert.match(lines[0], /^date,conversations,queued,served,left_messages,ratings,average_stars/);
  assert.equal(lines.length, 2);
  assert.match(lines[1], new RegExp(`^${today},\\d+,\\d+,1,0,1,4\\.00,`));

  // A range that ends before it starts: the server's words.
  await reports.locator('input[name="from"]').fill('2026-02-02');
  await reports.locator('input[name="to"]').fill('2026-02-01');
  await reports.locator('button.kc-reports-show').click();
  await reports.locator('.kc-reports-error').waitFor();

  // The visitor's data from the panel: exported as JSON, then erased.
  await page.locator('button.kc-reports-open').click();
  await page.locator('button.kc-tab[data-tab="ended"]').click();
  await page.locator(`.kc-conv[data-conversation-id="${id}"]`).click();
  const panel = page.locator('.kc-visitor');
  const exported = await downloaded(page, () => panel.locator('button.kc-visitor-export').click());
  assert.match(exported.name, /^visitor-v_.+\.json$/);
  assert.match(exported.text, /Where is parcel 5150\?/);
  const data = JSON.parse(exported.text);
  const visitorId = exported.name.slice('visitor-'.length, -'.json'.length);
  assert.ok(JSON.stringify(data).includes('Fast, thanks'), 'the rating is in the export');
  await panel.locator('button.kc-visitor-erase').click();
  await panel.locator('button.kc-visitor-erase-confirm').click();
  await pane.waitFor({ state: 'detached' });
  await page.locator(`.kc-conv[data-conversation-id="${id}"]`).waitFor({ state: 'detached' });
  const res = await fetch(`${server.url}/api/v1/sites/demo/visitors/${visitorId}/export`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  assert.equal(res.status, 404, 'nothing of the visitor is left to export');
  assert.deepEqual(files(join(dataDir, 'uploads')), [], 'nor in the upload store');
  // The reports no longer count the erased conversation's rating.
  await page.locator('button.kc-reports-open').click();
  await reports.locator('.kc-figure[data-figure="csat"] dd', { hasText: '(0)' }).waitFor();
  assert.deepEqual(noErrors(a.errors), []);
});

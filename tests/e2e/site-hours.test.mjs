// Business hours, service categories and the site's own texts on the site
// screen, in real browsers. The demo site's owner, online and available,
// closes the site every day, adds two categories (one with an ID made from its
// name) and an English leave-a-message line: a visitor in the widget picks a
// category and, though an agent is online, is offered the leave-a-message form
// in the site's words; a reload shows what was saved. A bad range is refused in
// the server's words. Then "open around the clock" and a welcome line: the next
// visitor is welcomed with it and queued, in the category they picked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn } from './support/console.mjs';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

async function askForAPerson(browser, baseUrl, category) {
  const { page } = browser;
  await page.goto(`${baseUrl}/`);
  await page.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await page.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  await page.locator('button.kefu-human').click();
  await page.locator(`button.kefu-category[data-category="${category}"]`).click();
  return page;
}

test('the owner sets business hours and categories; visitors meet them', async (t) => {
  const { server, open } = await world(t);
  const [a, v1, v2] = [await open(), await open(), await open()];
  const owner = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  await owner.locator('button.kc-site-open').click();
  const form = owner.locator('form.kc-site-form');
  await form.waitFor();

  // A site without hours: open around the clock, the browser's zone offered.
  const hours = form.locator('fieldset.kc-site-hours');
  assert.equal(await hours.locator('input[name="alwaysOpen"]').isChecked(), true);
  assert.match(await hours.locator('input[name="timezone"]').inputValue(), /^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/);

  // A range the server cannot read: refused in its words beside Monday's field, nothing saved.
  await hours.locator('input[name="alwaysOpen"]').uncheck();
  await hours.locator('input[name="timezone"]').fill('Asia/Shanghai');
  await hours.locator('input[name="hours-mon"]').fill('18:00-09:00');
  await form.locator('button.kc-site-save').click();
  const mon = hours.locator('.kc-field-error[data-field="businessHours.mon"]');
  await mon.waitFor();
  assert.match(await mon.textContent(), /Check this: `18:00-09:00` is not a range like 09:00-18:00 \(the end after the start\)/);
  assert.equal(await hours.locator('input[name="hours-mon"]').getAttribute('aria-invalid'), 'true');
  assert.equal(await hours.locator('input[name="hours-mon"]').getAttribute('aria-describedby'), await mon.getAttribute('id'));
  assert.equal(await owner.locator('.kc-site-error').count(), 0, 'beside the field, not on top');
  assert.equal(await owner.locator('.kc-field-error').count(), 1);

  // Closed every day (no range on any day), and two categories.
  await hours.locator('input[name="hours-mon"]').fill('');
  const categories = form.locator('fieldset.kc-site-categories');
  await categories.locator('button.kc-site-category-add').click();
  await categories.locator('button.kc-site-category-add').click();
  const rows = categories.locator('.kc-site-category');
  await rows.nth(0).locator('input[name="categoryName"]').fill('Sales');
  await rows.nth(0).locator('input[name="categoryId"]').fill('sales');
  await rows.nth(1).locator('input[name="categoryName"]').fill('After-sales Help');
  // The site's own line before the leave-a-message form, in English.
  const offline = 'We are closed today. Leave a note and we write back by 10am.';
  await form.locator('textarea[name="offline-en"]').fill(offline);
  await form.locator('button.kc-site-save').click();
  await owner.locator('.kc-site-saved').waitFor();
  assert.equal(await owner.locator('.kc-site-error, .kc-field-error').count(), 0);

  // Closed: the visitor picks a category and is offered the form, though the
  // owner is online.
  const first = await askForAPerson(v1, server.url, 'after-sales-help');
  await first.locator('.kefu-msg[data-sub="enterleavemessage"] .kefu-leave').waitFor({ timeout: 15_000 });
  await first.locator('.kefu-msg[data-sub="enterleavemessage"]', { hasText: offline }).waitFor();
  assert.equal(await first.locator('.kefu-queue').count(), 0);

  // A reload shows what was saved.
  await owner.reload();
  await owner.locator('button.kc-site-open').click();
  const again = owner.locator('form.kc-site-form');
  await again.waitFor();
  assert.equal(await again.locator('input[name="alwaysOpen"]').isChecked(), false);
  assert.equal(await again.locator('input[name="timezone"]').inputValue(), 'Asia/Shanghai');
  for (const day of DAYS) {
    assert.equal(await again.locator(`input[name="hours-${day}"]`).inputValue(), '', day);
  }
  const saved = again.locator('.kc-site-category');
  assert.equal(await saved.count(), 2);
  assert.equal(await saved.nth(1).locator('input[name="categoryId"]').inputValue(), 'after-sales-help');
  assert.equal(await saved.nth(1).locator('input[name="categoryName"]').inputValue(), 'After-sales Help');
  assert.equal(await again.locator('textarea[name="offline-en"]').inputValue(), offline);
  assert.equal(await again.locator('textarea[name="welcome-en"]').inputValue(), '');

  // Hours on weekdays are kept as typed; then open around the clock.
  await again.locator('input[name="hours-tue"]').fill('09:00-12:00, 13:00–18:00');
  await again.locator('button.kc-site-save').click();
  await owner.locator('.kc-site-saved').waitFor();
  const third = owner.locator('form.kc-site-form');
  assert.equal(await third.locator('input[name="hours-tue"]').inputValue(), '09:00-12:00, 13:00-18:00');
  await third.locator('input[name="alwaysOpen"]').check();
  const welcome = 'Welcome to the demo store! Ask away.';
  await third.locator('textarea[name="welcome-en"]').fill(welcome);
  await third.locator('button.kc-site-save').click();
  await owner.locator('.kc-site-saved').waitFor();
  assert.equal(await owner.locator('form.kc-site-form input[name="alwaysOpen"]').isChecked(), true);

  // Open: the next visitor is welcomed in the site's words and queued in the
  // category they picked.
  const second = await askForAPerson(v2, server.url, 'sales');
  await second.locator('.kefu-msg[data-sub="prompts"]', { hasText: welcome }).waitFor();
  await second.locator('.kefu-queue').waitFor({ timeout: 15_000 });
  await owner.locator('button.kc-tab[data-tab="queue"]').click();
  await owner.locator('.kc-conv').first().waitFor();

  for (const br of [v1, v2]) {
    assert.deepEqual(br.errors.filter((e) => !/WebSocket|net::|Notification/.test(e)), []);
  }
  assert.deepEqual(a.errors.filter((e) => !/WebSocket|net::|Notification|Failed to load resource/.test(e)), []);
});

// The knowledge-base screen in real browsers: the demo site's owner finds an
// entry, edits its answer, and a visitor in another Chromium gets the new
// answer; a new entry is added and answered too; a save the server refuses
// (a duplicate ID) shows its words and changes nothing; the entry is deleted;
// the export is the stored file; an imported file replaces every entry, and a
// bad one changes nothing. An agent (Mei) has no knowledge-base screen. Then
// the same in CSV, as a spreadsheet keeps it: exported as a download, a sheet
// with bad rows refused naming them, a good one imported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn, B_PASSWORD } from './support/console.mjs';

const entry = (page, id) => page.locator(`li.kc-kb-entry[data-id="${id}"]`);

async function saveForm(page, fields) {
  const form = page.locator('form.kc-kb-form');
  for (const [name, value] of Object.entries(fields)) {
    await form.locator(`[name="${name}"]`).fill(value);
  }
  await form.locator('button.kc-kb-save').click();
}

/** The visitor asks `question`; resolves with the bot's answer's text. */
async function ask(visitor, question) {
  const before = await visitor.locator('.kefu-msg[data-sub="repository"]').count();
  await visitor.locator('textarea.kefu-input').fill(question);
  await visitor.locator('button.kefu-send').click();
  const answer = visitor.locator('.kefu-msg[data-sub="repository"]').nth(before);
  await answer.waitFor({ timeout: 15_000 });
  return answer.innerText();
}

test('the owner edits the knowledge base in the console and the widget answers with it', async (t) => {
  const { server, open } = await world(t);
  const [a, b, v] = [await open(), await open(), await open()];
  const owner = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  const mei = await signIn(b, server.url, 'mei', B_PASSWORD);
  await mei.locator('header.kc-header[data-team-role="agent"]').waitFor();
  assert.equal(await mei.locator('button.kc-kb-open').count(), 0);

  await owner.locator('button.kc-kb-open').click();
  await entry(owner, 'shipping-time-en').waitFor();
  const all = await owner.locator('li.kc-kb-entry').count();
  assert.ok(all >= 20, `the sample's entries: ${all}`);
  // Search: every word, anywhere in the entry.
  await owner.locator('input.kc-kb-search').fill('how long does shipping take');
  await owner.waitForFunction(() => document.querySelectorAll('li.kc-kb-entry').length === 1);
  await entry(owner, 'shipping-time-en').waitFor();

  // Edit the answer; the visitor gets it.
  await entry(owner, 'shipping-time-en').locator('button.kc-kb-edit').click();
  const form = owner.locator('form.kc-kb-form');
  assert.equal(await form.locator('[name="question"]').inputValue(), 'How long does shipping take?');
  // The preview draws the answer as visitors will see it while it is typed:
  // bold, a list, a safe link; markup and other schemes stay text.
  const preview = form.locator('.kc-kb-preview .kefu-answer');
  await preview.locator('p').first().waitFor();
  await form.locator('[name="answer"]').fill(
    'Ships in **2 days**.\n\n- tracked\n- insured\n\n[Track it](https://shop.example/track) <img src=x onerror=alert(1)> [no](javascript:alert(1))');
  await preview.locator('strong', { hasText: '2 days' }).waitFor();
  assert.deepEqual(await preview.locator('ul li').allTextContents(), ['tracked', 'insured']);
  assert.equal(await preview.locator('a[href="https://shop.example/track"]').textContent(), 'Track it');
  assert.equal(await preview.locator('img').count(), 0, 'markup is text');
  assert.equal(await preview.locator('a[href^="javascript"]').count(), 0);
  assert.match(await preview.textContent(), /<img src=x onerror=alert\(1\)>/);
  await saveForm(owner, { answer: 'Every order ships within **24 hours**.' });
  await owner.locator('.kc-kb-saved').waitFor();
  assert.equal(await form.count(), 0, 'the form closes');
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  assert.match(await ask(visitor, 'How long does shipping take?'), /Every order ships within 24 hours\./);

  // A new entry, answered too.
  await owner.locator('input.kc-kb-search').fill('');
  await owner.locator('button.kc-kb-new').click();
  await saveForm(owner, {
    id: 'gift-cards-en', question: 'Do you sell gift cards?', similar: 'Can I buy a gift card?',
    answer: 'Yes: gift cards of **20, 50 or 100 euros**.', category: 'gifts', heat: '5', lang: 'en',
  });
  await entry(owner, 'gift-cards-en').waitFor();
  assert.equal(await owner.locator('li.kc-kb-entry').count(), all + 1);
  assert.match(await ask(visitor, 'Can I buy a gift card?'), /gift cards of 20, 50 or 100 euros/);

  // Refused by the server: its words, nothing changed, the form kept.
  await entry(owner, 'gift-cards-en').locator('button.kc-kb-edit').click();
  await saveForm(owner, { id: 'shipping-time-en' });
  await owner.locator('.kc-kb-error', { hasText: 'shipping-time-en' }).waitFor();
  assert.equal(await owner.locator('form.kc-kb-form').count(), 1);
  assert.equal(await owner.locator('li.kc-kb-entry').count(), all + 1);
  await owner.locator('button.kc-kb-cancel').click();

  // Deleted, after the confirmation.
  owner.once('dialog', (d) => d.accept());
  await entry(owner, 'gift-cards-en').locator('button.kc-kb-delete').click();
  await entry(owner, 'gift-cards-en').waitFor({ state: 'detached' });
  assert.equal(await owner.locator('li.kc-kb-entry').count(), all);

  // The export is the stored file, with the edit.
  const href = await owner.locator('a.kc-kb-export').getAttribute('href');
  const exported = JSON.parse(decodeURIComponent(href.slice(href.indexOf(',') + 1)));
  assert.equal(exported.entries.length, all);
  assert.equal(exported.entries.find((e) => e.id === 'shipping-time-en').answer, 'Every order ships within **24 hours**.');

  // A bad file changes nothing; a good one replaces every entry.
  const chooser = owner.locator('input.kc-kb-import');
  await chooser.setInputFiles({ name: 'bad.json', mimeType: 'application/json',
    buffer: Buffer.from('{"entries": [{"id": "x", "question": "", "answer": "A"}]}') });
  await owner.locator('.kc-kb-error').waitFor();
  assert.equal(await owner.locator('li.kc-kb-entry').count(), all);
  const only = { entries: [{ id: 'hours-en', question: 'When are you open?', answer: 'From **9 to 18**.' }] };
  await chooser.setInputFiles({ name: 'kb.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(only)) });
  await owner.locator('.kc-kb-saved').waitFor();
  await owner.waitForFunction(() => document.querySelectorAll('li.kc-kb-entry').length === 1);
  await entry(owner, 'hours-en').waitFor();
  assert.match(await ask(visitor, 'When are you open?'), /From 9 to 18/);
  for (const br of [a, b]) {
    assert.deepEqual(br.errors.filter((e) => !/WebSocket|net::|Notification|Failed to load resource/.test(e)), []);
  }
});

test('the owner keeps the knowledge base in a spreadsheet: CSV out, every bad row named, CSV in', async (t) => {
  const { server, open } = await world(t);
  const [a, v] = [await open(), await open()];
  const owner = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  await owner.locator('button.kc-kb-open').click();
  await entry(owner, 'shipping-time-en').waitFor();
  const all = await owner.locator('li.kc-kb-entry').count();

  // Exported as CSV: a download the browser saves, one row per entry.
  const [download] = await Promise.all([
    owner.waitForEvent('download'),
    owner.locator('button.kc-kb-export-csv').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'knowledge-base-demo.csv');
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const csv = Buffer.concat(chunks).toString('utf8');
  assert.ok(csv.startsWith('id,question,similar,answer,category,heat,lang\n'), csv.slice(0, 80));
  assert.match(csv, /\nshipping-time-en,/);

  // A sheet with two bad rows: both named, nothing changes.
  const chooser = owner.locator('input.kc-kb-import');
  const bad = 'id,question,answer,heat\nok-1,Fine?,Yes.,1\nbad-1,What?,This.,lots\nbad-2,,No question.,2\n';
  await chooser.setInputFiles({ name: 'faq.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  const error = owner.locator('.kc-kb-error');
  await error.waitFor();
  assert.match(await error.textContent(), /row 3: heat `lots`/);
  assert.equal(await owner.locator('li.kc-kb-entry').count(), all);

  // A good sheet (Excel's byte-order mark, a multi-line cell of phrasings):
  // every entry replaced, and the bot answers from it.
  const good = '\ufeffid,question,similar,answer\n' +
    'hours-en,When are you open?,"what time do you open\nopening hours",From **9 to 18**.\n' +
    'returns-en,Can I return my headphones?,,Within **30 days**.\n';
  await chooser.setInputFiles({ name: 'FAQ.CSV', mimeType: '', buffer: Buffer.from(good) });
  await owner.locator('.kc-kb-saved').waitFor();
  await owner.waitForFunction(() => document.querySelectorAll('li.kc-kb-entry').length === 2);
  await entry(owner, 'returns-en').waitFor();
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  assert.match(await ask(visitor, 'what time do you open'), /From 9 to 18/);
  assert.deepEqual(a.errors.filter((e) => !/WebSocket|net::|Notification|Failed to load resource/.test(e)), []);
});

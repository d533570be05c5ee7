// The console in Simplified Chinese, in real browsers: an owner whose Chromium
// speaks zh-CN gets the sign-in page, the lists, a conversation, the team, bot,
// site, reports and webhooks screens in Chinese (no English word in the console's own text: a
// string missed by the tables would show), serves a zh-CN visitor from the
// queue to the end and the rating, then picks English, which a reload keeps, and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn } from './support/console.mjs';

/**
 * English words in the console's own text: buttons, labels, headings, tabs,
 * list placeholders, accessible names and placeholders (what visitors wrote
 * and the widget's renderings of messages are theirs, not the console's).
 */
function englishInChrome(page) {
  return page.evaluate(() => {
    // Names and words that are the same in Chinese: the product, the demo's
    // agents and site, a technical term.
    const allowed = new Set(['Kefu', 'ID', 'Demo', 'Agent', 'Store', 'Mei', 'English',
      'Content', 'Security', 'Policy', 'body', 'demo', 'mei',
      // The allowed origins' placeholder, an example origin.
      'https', 'shop', 'example',
      // Technical terms Chinese interfaces keep: formats, the webhook and its signature.
      'JSON', 'CSV', 'CSS', 'Webhook', 'webhook', 'HMAC', 'SHA', 'http', 'localhost']);
    const ours = (el) => !el.closest('.kefu-msg, .kc-conv-name, .kc-me, pre, code, option, [data-field] dd');
    // Identifiers in `code` (event types, time zones, URLs) are not words to translate.
    const text = (el) => {
      let shown = el.innerText;
      for (const code of el.querySelectorAll('code')) shown = shown.replace(code.innerText, ' ');
      return shown;
    };
    const texts = [];
    const chrome = 'button, label, h1, h2, h3, dt, summary, th, legend, .kc-empty, .kc-conv-last, .kc-conn, .kc-bot-reason, .kc-bot-hint, p';
    for (const el of document.querySelectorAll(`.kc-app :is(${chrome})`)) {
      if (ours(el)) texts.push(text(el));
    }
    for (const el of document.querySelectorAll('.kc-app [placeholder], .kc-app [aria-label]')) {
      if (ours(el)) texts.push(el.getAttribute('placeholder') ?? '', el.getAttribute('aria-label') ?? '');
    }
    const words = texts.join(' ').match(/[A-Za-z]{2,}/g) ?? [];
    return [...new Set(words.filter((w) => !allowed.has(w)))];
  });
}

test('a zh-CN owner works the whole flow in Chinese, and the pick of language is kept', async (t) => {
  const { server, open } = await world(t);
  const [a, v] = [await open({ locale: 'zh-CN' }), await open({ locale: 'zh-CN' })];
  const owner = a.page;

  // The sign-in page follows the browser.
  await owner.goto(`${server.url}/console/`);
  await owner.locator('form.kc-login h1', { hasText: '登录 Kefu' }).waitFor({ timeout: 30_000 });
  assert.equal(await owner.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await owner.locator('select.kc-locale').inputValue(), 'zh-CN');
  assert.deepEqual(await englishInChrome(owner), []);
  await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  assert.equal((await owner.locator('button.kc-tab[data-tab="queue"]').innerText()).trim(), '排队');

  // A zh-CN visitor asks for a human; the queue row says so in Chinese.
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('button.kefu-human').click();
  await visitor.locator('.kefu-queue').waitFor();
  await owner.locator('button.kc-tab[data-tab="queue"]').click();
  const row = owner.locator('.kc-conv').first();
  await row.locator('.kc-conv-last', { hasText: '进入排队（第 1 位）' }).waitFor();
  assert.match(await row.locator('.kc-conv-name').innerText(), /^访客 /);
  await row.click();
  const pane = owner.locator('.kc-pane');
  await pane.locator('button.kc-accept', { hasText: '接入' }).click();
  await visitor.locator('.kefu-system[data-sub="reception"]', { hasText: '为您服务' }).waitFor();

  // Serving: the reply goes out, the row and the pane speak Chinese.
  await owner.locator('button.kc-tab[data-tab="mine"]').click();
  await pane.locator('textarea.kc-input[placeholder="输入回复，输入 / 使用快捷回复"]').fill('您好，请问有什么可以帮您？');
  await pane.locator('textarea.kc-input').press('Enter');
  await visitor.locator('.kefu-msg', { hasText: '您好，请问有什么可以帮您？' }).waitFor();
  await owner.locator('.kc-conv .kc-conv-last', { hasText: '您好，请问有什么可以帮您？' }).waitFor();
  await pane.locator('.kc-visitor').waitFor();
  assert.deepEqual(await englishInChrome(owner), [], 'the conversation view');
  await pane.locator('button.kc-end', { hasText: '结束会话' }).click();
  await visitor.locator('.kefu-system[data-sub="stopsession"]').waitFor();
  await visitor.locator('button.kefu-rate-open').click();
  await visitor.locator('.kefu-rating button.kefu-star[data-star="5"]').click();
  await visitor.locator('button.kefu-rating-submit').click();
  await visitor.locator('.kefu-rated').waitFor();
  await owner.locator('button.kc-tab[data-tab="ended"]').click();
  await owner.locator('.kc-conv .kc-conv-last', { hasText: '已评价 ★★★★★' }).waitFor();

  // The owner's screens.
  await owner.locator('button.kc-team-open', { hasText: '团队' }).click();
  await owner.locator('.kc-member').first().waitFor();
  assert.deepEqual(await englishInChrome(owner), [], 'the team screen');
  // The one owner stepping down is denied, and told why in Chinese.
  await owner.locator('li.kc-member[data-username="demo"] select.kc-member-role').selectOption('admin');
  await owner.locator('.kc-team-error', { hasText: '站点至少要有一位启用中的所有者：请先设置另一位所有者' }).waitFor();
  assert.deepEqual(await englishInChrome(owner), [], 'a denied change on the team screen');
  await owner.locator('button.kc-bot-open', { hasText: '机器人' }).click();
  const form = owner.locator('form.kc-bot-try');
  await form.locator('input[name="q"]').fill('运费怎么算');
  await form.locator('button[type="submit"]').click();
  const trial = owner.locator('.kc-bot-trial');
  await trial.locator('.kc-bot-question', { hasText: '运费怎么算' }).waitFor();
  assert.match(await trial.locator('.kc-bot-reason').innerText(), /最高分 \d\.\d\d/);
  assert.deepEqual(await englishInChrome(owner), [], 'the bot screen');
  await owner.locator('button.kc-site-open', { hasText: '站点' }).click();
  await owner.locator('form.kc-site-form').waitFor();
  assert.deepEqual(await englishInChrome(owner), [], 'the site screen');
  // A refusal beside a field is in Chinese too (typed by the server, said by the console).
  const siteForm = owner.locator('form.kc-site-form');
  await siteForm.locator('input[name="alwaysOpen"]').uncheck();
  await siteForm.locator('input[name="timezone"]').fill('Asia/Shanghai');
  await siteForm.locator('input[name="hours-mon"]').fill('18:00-09:00');
  await siteForm.locator('button.kc-site-save').click();
  const mon = siteForm.locator('.kc-field-error[data-field="businessHours.mon"]');
  await mon.waitFor();
  assert.match(await mon.innerText(), /“18:00-09:00”不是形如 09:00-18:00 的时间段/);
  assert.deepEqual(await englishInChrome(owner), [], 'a refusal on the site screen');
  await owner.locator('button.kc-reports-open', { hasText: '报表' }).click();
  await owner.locator('.kc-figure[data-figure="csat"] dd', { hasText: '5.00 / 5 (1)' }).waitFor();
  assert.deepEqual(await englishInChrome(owner), [], 'the reports screen');
  await owner.locator('button.kc-webhooks-open', { hasText: 'Webhook' }).click();
  await owner.locator('form.kc-webhook-add').waitFor();
  assert.deepEqual(await englishInChrome(owner), [], 'the webhooks screen');
  // The server's refusals of a webhook and of a knowledge-base sheet, typed,
  // said in Chinese.
  const hook = owner.locator('form.kc-webhook-add');
  await hook.locator('input[name="url"]').fill('http://hooks.example/in');
  await hook.locator('button.kc-webhook-add-submit').click();
  await owner.locator('.kc-webhooks-error', { hasText: '网址：http:// 只能用于 127.0.0.1、localhost 和 [::1]；请用 https://' }).waitFor();
  assert.deepEqual(await englishInChrome(owner), [], 'a refused webhook');
  await owner.locator('button.kc-kb-open', { hasText: '知识库' }).click();
  await owner.locator('li.kc-kb-entry').first().waitFor();
  const sheet = 'id,question,answer,heat\nok-1,Fine?,Yes.,1\nbad-1,What?,This.,lots\n';
  await owner.locator('input.kc-kb-import').setInputFiles({ name: 'faq.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
  const kbError = owner.locator('.kc-kb-error');
  await kbError.waitFor();
  assert.equal((await kbError.innerText()).trim(), 'CSV 文件有问题：第 3 行：热度“lots”不是整数');

  // English, picked: kept over a reload (the browser still says zh-CN).
  await owner.locator('select.kc-locale').selectOption('en');
  await owner.locator('button.kc-signout', { hasText: 'Sign out' }).waitFor();
  assert.equal(await owner.getAttribute('html', 'lang'), 'en');
  await owner.reload();
  await owner.locator('button.kc-tab[data-tab="queue"]', { hasText: 'Queue' }).waitFor({ timeout: 30_000 });
  await owner.locator('button.kc-tab[data-tab="ended"]').click();
  await owner.locator('.kc-conv .kc-conv-last', { hasText: 'Rated ★★★★★' }).waitFor();
  await owner.locator('select.kc-locale').selectOption('zh-CN');
  await owner.locator('button.kc-signout', { hasText: '退出登录' }).waitFor();
  await owner.locator('.kc-conv .kc-conv-last', { hasText: '已评价 ★★★★★' }).waitFor();
  // (The refused saves above are 400s the browser logs.)
  assert.deepEqual(a.errors.filter((e) => !/WebSocket|net::|Notification|Failed to load resource/.test(e)), []);
});

// Remote assistance end to end, in two Chromiums: the agent asks to see the
// visitor's page, the visitor declines (both see `refuserc`); the agent asks
// again, the visitor accepts; the console's sandboxed frame shows the demo
// product page; the visitor types into the search box (the agent sees dots),
// opens a <details>, scrolls; the agent points at "Add to cart" and the visitor
// sees the ring; with the second yes the agent clicks it and the visitor's cart
// count changes; the visitor goes to another page of the shop and the view
// resumes without asking again; the visitor closes the tab and, after the
// grace, `rcwilltimeout` and `rcend` are stored. The same in zh-CN, ended by
// the agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn } from './support/console.mjs';

const noErrors = (errors) => errors.filter((e) => !/WebSocket|net::|Notification/.test(e));

/** The console's view of the visitor's page (a Playwright frame). */
async function viewFrame(console) {
  const handle = await console.locator('iframe.kc-cobrowse-frame').elementHandle({ timeout: 20_000 });
  return handle.contentFrame();
}

/** Poll `fn` in the view until it returns something truthy. */
async function inView(console, fn, arg) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const frame = await viewFrame(console);
    const got = await frame.evaluate(fn, arg).catch(() => null);
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`not in the view: ${fn}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Where `selector` of the visitor's page is drawn in the console (page coordinates). */
function drawnAt(console, selector) {
  return console.evaluate((sel) => {
    const f = document.querySelector('iframe.kc-cobrowse-frame');
    const r = f.getBoundingClientRect();
    const scale = r.width / f.offsetWidth;
    const el = f.contentDocument.querySelector(sel).getBoundingClientRect();
    return { x: r.left + (el.left + el.width / 2) * scale, y: r.top + (el.top + el.height / 2) * scale };
  }, selector);
}

test('co-browsing: decline, accept, masked typing, pointing, a consented click, navigation, the tab closed', async (t) => {
  const { server, open } = await world(t);
  const [a, v] = [await open(), await open()];
  const agent = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  await visitor.locator('button.kefu-human').click();
  await agent.locator('button.kc-tab[data-tab="queue"]').click();
  await agent.locator('.kc-conv').first().click();
  await agent.locator('.kc-pane button.kc-accept').click();
  await visitor.locator('.kefu-msg[data-sub="reception"]').waitFor();
  const pane = agent.locator('.kc-pane');

  // Asked, declined: both sides store and show it; nothing of the page left.
  await pane.locator('button.kc-cobrowse-ask').click();
  await pane.locator('.kc-cobrowse-waiting').waitFor();
  const card = visitor.locator('.kefu-service.kefu-consent');
  await card.locator('button.kefu-consent-decline').click();
  await visitor.locator('.kefu-msg[data-sub="refuserc"]').waitFor();
  await pane.locator('.kefu-msg[data-sub="refuserc"]').waitFor();
  await card.locator('button').first().waitFor({ state: 'detached' });
  assert.equal(await visitor.locator('script[src*="cobrowse"]').count(), 0, 'no capture code loaded');

  // Asked again, accepted: the capture code loads only now; the view draws.
  await pane.locator('button.kc-cobrowse-ask').click();
  await visitor.locator('.kefu-consent button.kefu-consent-accept').click();
  await visitor.locator('.kefu-msg[data-sub="acceptrc"]').waitFor();
  await visitor.locator('.kefu-rc-bar', { hasText: 'Demo Agent' }).waitFor({ timeout: 15_000 });
  await inView(agent, () => document.querySelector('h1')?.textContent.includes('Aria 2'));
  await pane.locator('.kefu-msg[data-sub="rcrun"]').waitFor();
  await visitor.locator('.kefu-msg[data-sub="rcrun"]').waitFor();
  assert.equal(
    await inView(agent, () => String(document.querySelectorAll('script').length + 1)),
    '1',
    'no script in the view',
  );

  // Typing is masked: the agent sees as many dots as the visitor typed.
  await visitor.locator('#site-search').fill('my secret words');
  const shown = await inView(agent, () => {
    const value = document.querySelector('#site-search')?.value ?? '';
    return value.length === 15 && value;
  });
  assert.equal(shown, '•'.repeat(15));
  // A <details> opened, the page scrolled.
  await visitor.locator('details.faq summary').click();
  await inView(agent, () => document.querySelector('details.faq')?.open);
  await visitor.evaluate(() => window.scrollTo(0, 300));
  await inView(agent, () => document.scrollingElement.scrollTop > 100);
  await visitor.evaluate(() => window.scrollTo(0, 0));
  await inView(agent, () => document.scrollingElement.scrollTop === 0);

  // Pointing: the visitor sees a ring on their own page.
  const button = await drawnAt(agent, '.add-to-cart');
  await agent.mouse.click(button.x, button.y);
  await visitor.locator('.kefu-rc-ring').waitFor({ state: 'visible' });
  assert.equal(await visitor.locator('.cart-count').textContent(), '0', 'pointing clicks nothing');

  // The second yes: the agent clicks "Add to cart" for the visitor.
  assert.equal(await pane.locator('button.kc-cobrowse-click').isDisabled(), true);
  await visitor.locator('.kefu-rc-control').click();
  await pane.locator('.kc-cobrowse-control[data-control="true"]').waitFor();
  await pane.locator('button.kc-cobrowse-click').click();
  const again = await drawnAt(agent, '.add-to-cart'); // the bar above may have reflowed
  await agent.mouse.click(again.x, again.y);
  await visitor.locator('.cart-count', { hasText: '1' }).waitFor();

  // Another page of the shop: the view resumes, nobody asked again.
  await visitor.goto(`${server.url}/accessories.html`);
  await inView(agent, () => document.querySelector('h1')?.textContent === 'Accessories');
  await visitor.locator('.kefu-rc-bar').waitFor({ timeout: 15_000 });
  assert.equal(await pane.locator('.kefu-msg[data-sub="requestrc"]').count(), 2, 'asked twice in all');

  // The tab closes: after the grace the server warns, then ends it.
  await visitor.close();
  await pane.locator('.kefu-msg[data-sub="rcwilltimeout"]').waitFor({ timeout: 20_000 });
  await pane.locator('.kefu-msg[data-sub="rcend"]').waitFor({ timeout: 20_000 });
  await pane.locator('section.kc-cobrowse').waitFor({ state: 'detached' });
  await pane.locator('button.kc-cobrowse-ask').waitFor();
  assert.deepEqual(noErrors(a.errors), []);
});

test('co-browsing in zh-CN: the consent, the lines, the bar and the console speak Chinese; the agent stops it', async (t) => {
  const { server, open } = await world(t);
  const [a, v] = [await open({ locale: 'zh-CN' }), await open({ locale: 'zh-CN' })];
  const agent = await signIn(a, server.url, 'demo', DEMO_PASSWORD);
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('button.kefu-human').click();
  await agent.locator('button.kc-tab[data-tab="queue"]').click();
  await agent.locator('.kc-conv').first().click();
  const pane = agent.locator('.kc-pane');
  await pane.locator('button.kc-accept').click();
  await visitor.locator('.kefu-msg[data-sub="reception"]').waitFor();

  await pane.locator('button.kc-cobrowse-ask', { hasText: '请求查看访客屏幕' }).click();
  await pane.locator('.kc-cobrowse-waiting', { hasText: '等待访客同意' }).waitFor();
  // What the agent will and will not see, in the visitor's language, on both sides.
  const asked = visitor.locator('.kefu-msg[data-sub="requestrc"]');
  await asked.filter({ hasText: '请求查看您当前的页面' }).waitFor();
  assert.match(await asked.innerText(), /看不到您在输入框中输入的内容、密码/);
  await pane.locator('.kefu-msg[data-sub="requestrc"]', { hasText: '请求查看您当前的页面' }).waitFor();
  const card = visitor.locator('.kefu-service.kefu-consent');
  assert.equal((await card.locator('span').innerText()).trim(), '允许客服查看此页面？');
  assert.equal((await card.locator('button.kefu-consent-decline').innerText()).trim(), '拒绝');
  await card.locator('button.kefu-consent-accept', { hasText: '同意共享页面' }).click();

  await visitor.locator('.kefu-msg[data-sub="acceptrc"]', { hasText: '您已同意屏幕共享请求' }).waitFor();
  await visitor.locator('.kefu-rc-text', { hasText: 'Demo Agent 正在查看此页面' }).waitFor({ timeout: 15_000 });
  assert.equal((await visitor.locator('.kefu-rc-stop').innerText()).trim(), '停止');
  assert.equal((await visitor.locator('.kefu-rc-control').innerText()).trim(), '允许 Demo Agent 点击和输入');
  await inView(agent, () => document.querySelector('h1')?.textContent.includes('Aria 2'));
  await pane.locator('.kefu-msg[data-sub="rcrun"]', { hasText: '正在查看此页面' }).waitFor();
  await pane.locator('.kc-cobrowse-control', { hasText: '代为点击需访客允许' }).waitFor();

  // The agent stops: the line names who, on both sides; the bar goes.
  await pane.locator('button.kc-cobrowse-stop', { hasText: '停止查看' }).click();
  await visitor.locator('.kefu-msg[data-sub="rcend"]', { hasText: '客服 Demo Agent 已停止屏幕共享' }).waitFor();
  await pane.locator('.kefu-msg[data-sub="rcend"]', { hasText: '已停止屏幕共享' }).waitFor();
  await visitor.locator('.kefu-rc-bar').waitFor({ state: 'detached' });
  await pane.locator('section.kc-cobrowse').waitFor({ state: 'detached' });
  assert.deepEqual(noErrors(a.errors), []);
});

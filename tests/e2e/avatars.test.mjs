// Agents' pictures in real browsers. Agent Mei picks a photo on My account:
// the console shows it there (the server made a 256 px square of it), beside
// her name in the team, and beside her messages; a visitor she serves sees it
// on the reception line and in the widget's header, loaded from the Kefu
// server. The owner gives Mei another picture from the Team screen, which
// Mei's console shows without a reload; then Mei removes hers. A file that is
// not an image is refused in the agent's language and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './support/server.mjs';
import { world, signIn, B_PASSWORD } from './support/console.mjs';
import { png } from './support/images.mjs';

/** The picture `img` shows: its natural size and the colour of its centre. */
async function picture(img) {
  await img.waitFor();
  await img.evaluate((el) => el.decode());
  return img.evaluate((el) => {
    const canvas = document.createElement('canvas');
    canvas.width = el.naturalWidth;
    canvas.height = el.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(el, 0, 0);
    const [r, g, b] = ctx.getImageData(el.naturalWidth / 2, el.naturalHeight / 2, 1, 1).data;
    return { width: el.naturalWidth, height: el.naturalHeight, rgb: [r, g, b], src: el.getAttribute('src') };
  });
}

const near = (rgb, want) => rgb.every((c, i) => Math.abs(c - want[i]) < 24);
const RED = [220, 30, 30];
const BLUE = [30, 60, 220];

test('an agent picks her picture; the team, her messages and her visitors see it', async (t) => {
  const { server, open } = await world(t);
  const [a, b, v] = [await open(), await open(), await open()];
  const mei = await signIn(a, server.url, 'mei', B_PASSWORD);

  // My account: no picture yet; a file that is not an image is refused.
  await mei.locator('button.kc-account-open').click();
  const account = mei.locator('section.kc-account');
  await account.locator('.kc-account-avatar .kc-hint').waitFor();
  await account.locator('input.kc-avatar-file').setInputFiles({
    name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture at all'),
  });
  await account.locator('.kc-account-error', { hasText: /image|decode/ }).waitFor();
  assert.equal(await account.locator('img.kc-avatar').count(), 0);

  // A wide red photo becomes a red 256 px square.
  await account.locator('input.kc-avatar-file').setInputFiles({
    name: 'me.png', mimeType: 'image/png', buffer: png(600, 400, RED),
  });
  const mine = await picture(account.locator('img.kc-avatar'));
  assert.equal(mine.width, 256);
  assert.equal(mine.height, 256);
  assert.ok(near(mine.rgb, RED), `${mine.rgb}`);
  assert.match(mine.src, /^\/api\/v1\/uploads\/avatars\/a_[0-9a-z]+\/[0-9a-f]{16}\.jpg$/);
  assert.equal(await account.locator('.kc-account-error').count(), 0);

  // A visitor in the real widget: Mei accepts and answers.
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  await visitor.locator('button.kefu-human').click();
  await visitor.locator('.kefu-queue').waitFor();
  await mei.locator('button.kc-tab[data-tab="queue"]').click();
  await mei.locator('.kc-conv').first().click();
  await mei.locator('.kc-pane button.kc-accept').click();
  const reception = visitor.locator('.kefu-system[data-sub="reception"]', { hasText: 'Mei' });
  await reception.waitFor();
  const seen = await picture(reception.locator('img.kefu-avatar'));
  assert.equal(seen.src, `${server.url}${mine.src}`, 'resolved against the Kefu server');
  assert.ok(near(seen.rgb, RED), `${seen.rgb}`);
  assert.ok(near((await picture(visitor.locator('.kefu-agent img.kefu-avatar'))).rgb, RED));
  await mei.locator('textarea.kc-input').fill('Hello, Mei here.');
  await mei.locator('textarea.kc-input').press('Enter');
  await visitor.locator('.kefu-msg', { hasText: 'Hello, Mei here.' }).waitFor();
  const beside = mei.locator('.kefu-msg', { hasText: 'Hello, Mei here.' }).locator('.kefu-sender img.kc-avatar');
  assert.ok(near((await picture(beside)).rgb, RED));

  // The owner gives Mei a blue picture from the Team screen; Mei's console
  // follows without a reload (the roster is pushed again).
  const owner = await signIn(b, server.url, 'demo', DEMO_PASSWORD);
  await owner.locator('button.kc-team-open').click();
  const row = owner.locator('li.kc-member[data-username="mei"]');
  assert.ok(near((await picture(row.locator('img.kc-avatar'))).rgb, RED));
  await row.locator('input.kc-avatar-file').setInputFiles({
    name: 'blue.png', mimeType: 'image/png', buffer: png(100, 300, BLUE),
  });
  await owner.locator('section.kc-team[aria-busy="false"]').waitFor();
  await row.locator(`img.kc-avatar:not([src="${mine.src}"])`).waitFor();
  const given = await picture(row.locator('img.kc-avatar'));
  assert.equal(given.width, 100, 'a picture under 256 px keeps its shorter side');
  assert.ok(near(given.rgb, BLUE), `${given.rgb}`);
  await mei.locator(`.kefu-sender img.kc-avatar[src="${given.src}"]`).first().waitFor();
  await mei.locator('button.kc-account-open').click();
  assert.ok(near((await picture(account.locator('img.kc-avatar'))).rgb, BLUE));

  // Mei removes hers: gone from her account and the team, and not served.
  await account.locator('button.kc-avatar-remove').click();
  await account.locator('.kc-account-avatar .kc-hint').waitFor();
  assert.equal(await account.locator('img.kc-avatar').count(), 0);
  await owner.locator('button.kc-tab[data-tab="mine"]').click();
  await owner.locator('button.kc-team-open').click();
  await row.waitFor();
  await row.locator('img.kc-avatar').waitFor({ state: 'detached' });
  const res = await fetch(`${server.url}${given.src}`);
  assert.equal(res.status, 404);

  for (const br of [a, b, v]) {
    assert.deepEqual(br.errors.filter((e) => !/WebSocket|net::|Notification|Failed to load resource/.test(e)), []);
  }
});

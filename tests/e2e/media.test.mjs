// Media in real browsers: a visitor (widget) and an agent (console), each in their own
// Chromium. The visitor attaches a multi-MB image over a throttled upload (the progress
// bar shows), the agent sees it and its thumbnail loads; a pasted image arrives; a
// cancelled upload leaves no message; a 3000×2000 PNG is downscaled in the browser to
// 2048 px wide; the agent sends a PDF and the visitor's download link answers 200; a
// voice message recorded from Chromium's fake microphone arrives as a sound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, startServer, freePort, tempDataDir, cleanup, DEMO_PASSWORD } from './support/server.mjs';
import { openBrowser } from './support/browser.mjs';


/** A PNG made by the page's own canvas: `noise` makes it incompressible (big). */
async function png(page, width, height, noise) {
  const b64 = await page.evaluate(async ([w, h, noisy]) => {
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d');
    if (noisy) {
      const img = ctx.createImageData(w, h);
      for (let i = 0; i < img.data.length; i++) img.data[i] = (i % 4 === 3) ? 255 : (Math.random() * 256) | 0;
      ctx.putImageData(img, 0, 0);
    } else {
      const g = ctx.createLinearGradient(0, 0, w, h);
      g.addColorStop(0, '#2f5bea');
      g.addColorStop(1, '#f5d48a');
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, w, h);
    }
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, [width, height, noise]);
  return Buffer.from(b64, 'base64');
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
  'trailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Throttle (bytes per second) or free (-1) the page's uploads, through CDP. */
async function uploadSpeed(cdp, bytesPerSecond) {
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond,
  });
}

test('images, paste, cancel, downscale, files and a voice message between a visitor and an agent', async (t) => {
  const dataDir = tempDataDir();
  const server = await startServer({ port: await freePort(), dataDir });
  const browsers = [];
  t.after(async () => {
    for (const b of browsers) await b.close();
    await server.stop();
    cleanup(dataDir);
  });
  await admin(server.url, 'PUT', '/sites/demo', { name: 'Kefu Demo Store', autoAssign: false });
  // The visitor's Chromium has a fake microphone, already allowed.
  const media = {
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    permissions: ['microphone'],
  };
  const [a, v] = [await openBrowser(), await openBrowser(media)];
  browsers.push(a, v);

  // The agent signs in; the visitor opens the widget and asks for a human.
  const agent = a.page;
  await agent.goto(`${server.url}/console/`);
  const form = agent.locator('form.kc-login');
  await form.locator('input[name="username"]').fill('demo');
  await form.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await form.locator('button[type="submit"]').click();
  await agent.locator('button.kc-tab[data-tab="queue"]').waitFor({ timeout: 30_000 });
  const visitor = v.page;
  await visitor.goto(`${server.url}/`);
  await visitor.locator('button.kefu-launcher').click({ timeout: 30_000 });
  await visitor.locator('.kefu-msg[data-sub="heatquestion"]').waitFor({ timeout: 15_000 });
  await visitor.locator('button.kefu-human').click();
  await agent.locator('button.kc-tab[data-tab="queue"]').click();
  const row = agent.locator('.kc-conv').first();
  await row.waitFor();
  await row.click();
  await agent.locator('.kc-pane button.kc-accept').click();
  await visitor.locator('.kefu-system[data-sub="reception"]').waitFor();
  await agent.locator('textarea.kc-input').waitFor();

  const cdp = await v.context.newCDPSession(visitor);
  await cdp.send('Network.enable');
  const fileInput = visitor.locator('input.kefu-file-input');
  const agentImages = agent.locator('.kc-pane .kefu-msg[data-kind="image"] button.kefu-image img');

  // 1. A multi-MB image over a slow upload: the progress bar is seen moving, then the
  //    agent sees the image and its thumbnail loads.
  const big = await png(visitor, 1200, 900, true);
  assert.ok(big.length > 3_000_000, `a multi-MB PNG (${big.length} B)`);
  await uploadSpeed(cdp, 1_000_000);
  await fileInput.setInputFiles({ name: 'noise.png', mimeType: 'image/png', buffer: big });
  const uploading = visitor.locator('.kefu-msg--uploading[data-status="uploading"]');
  await uploading.locator('.kefu-file-name', { hasText: 'noise.png' }).waitFor();
  await visitor.waitForFunction(() => {
    const root = document.querySelector('kefu-widget')?.shadowRoot ?? document;
    const bar = root.querySelector('.kefu-msg--uploading progress.kefu-progress');
    return bar && bar.max > 0 && bar.value > 0 && bar.value < bar.max;
  }, null, { timeout: 30_000 });
  await uploadSpeed(cdp, -1);
  await uploading.waitFor({ state: 'detached', timeout: 60_000 });
  await visitor.locator('.kefu-msg[data-kind="image"][data-status="sent"] button.kefu-image img').waitFor();
  await agentImages.first().waitFor({ timeout: 30_000 });
  await agent.waitForFunction(() => {
    const img = document.querySelector('.kc-pane .kefu-msg[data-kind="image"] button.kefu-image img');
    return img && img.complete && img.naturalWidth > 0;
  });
  const thumbSrc = await agentImages.first().getAttribute('src');
  assert.match(thumbSrc, /^\/api\/v1\/uploads\/[^/]+\/thumb\?/, 'the console shows the thumbnail');
  assert.equal(await agentImages.first().getAttribute('alt'), 'noise.png');

  // 2. A pasted image (a synthetic paste carrying a File) arrives at the agent.
  const small = await png(visitor, 64, 48, false);
  await visitor.locator('textarea.kefu-input').evaluate((el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, small.toString('base64'));
  await agent.locator('.kc-pane .kefu-msg[data-kind="image"] button.kefu-image img[alt="pasted.png"]').waitFor({ timeout: 30_000 });

  // 3. Cancel during an upload: no message. A text sent afterwards arrives while the
  //    agent still has exactly the two images.
  await uploadSpeed(cdp, 200_000);
  await fileInput.setInputFiles({ name: 'cancelled.png', mimeType: 'image/png', buffer: big });
  await uploading.locator('.kefu-file-name', { hasText: 'cancelled.png' }).waitFor();
  await uploading.locator('button.kefu-upload-cancel').click();
  await uploading.waitFor({ state: 'detached' });
  await uploadSpeed(cdp, -1);
  await visitor.locator('textarea.kefu-input').fill('after the cancel');
  await visitor.locator('button.kefu-send').click();
  await agent.locator('.kc-pane .kefu-text', { hasText: 'after the cancel' }).waitFor();
  assert.equal(await agentImages.count(), 2, 'the cancelled upload sent nothing');
  assert.equal(await visitor.locator('.kefu-msg button.kefu-image img[alt="cancelled.png"]').count(), 0);

  // 4. A 3000×2000 PNG is downscaled in the browser: the stored image is 2048 wide.
  const huge = await png(visitor, 3000, 2000, false);
  await fileInput.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
  const hugeThumb = agent.locator('.kc-pane .kefu-msg[data-kind="image"] button.kefu-image:has(img[alt="huge.png"])');
  await hugeThumb.waitFor({ timeout: 30_000 });
  await hugeThumb.click();
  const zoomed = agent.locator('.kc-pane .kefu-zoom:popover-open img');
  await zoomed.waitFor();
  await agent.waitForFunction(() => {
    const img = document.querySelector('.kc-pane .kefu-zoom:popover-open img');
    return img && img.complete && img.naturalWidth > 0;
  });
  const [w, h] = await zoomed.evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  assert.ok(w <= 2048 && w >= 2000, `downscaled to ${w}×${h}`);
  assert.ok(Math.abs(w / h - 1.5) < 0.01, `aspect kept (${w}×${h})`);
  await agent.keyboard.press('Escape');
  await zoomed.waitFor({ state: 'detached' });
  assert.ok(await agent.evaluate(() => document.activeElement?.classList.contains('kefu-image')),
    'Esc closes the zoom and focus is back on the preview');

  // 5. The agent sends a PDF: the visitor sees the file card, and its link downloads.
  await agent.locator('input.kc-file-input').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: PDF });
  const card = visitor.locator('.kefu-msg[data-kind="file"] .kefu-file');
  await card.locator('.kefu-file-name', { hasText: 'invoice.pdf' }).waitFor({ timeout: 30_000 });
  assert.match(await card.locator('.kefu-file-size').textContent(), /^\d+ B$/);
  const link = card.locator('a.kefu-download');
  assert.equal(await link.getAttribute('download'), 'invoice.pdf');
  const href = await link.evaluate((el) => el.href);
  const res = await visitor.request.get(href);
  assert.equal(res.status(), 200, `GET ${href}`);
  assert.ok((await res.body()).subarray(0, 5).toString() === '%PDF-', 'the PDF itself');

  // 6. A voice message: the mic records until clicked again, then the recording is
  //    uploaded and sent as a sound with its length.
  const mic = visitor.locator('button.kefu-record');
  await mic.click();
  await visitor.locator('button.kefu-record[aria-pressed="true"]').waitFor();
  await visitor.waitForTimeout(1500); // something to record, not an assertion
  await mic.click();
  const sound = agent.locator('.kc-pane .kefu-msg[data-kind="sound"] .kefu-sound');
  await sound.waitFor({ timeout: 30_000 });
  assert.match(await sound.locator('audio').getAttribute('src'), /^\/api\/v1\/uploads\//);
  assert.match(await sound.locator('.kefu-duration').textContent(), /^0:0[1-3]$/);

  const errors = (b) => b.errors.filter((e) => !/WebSocket|net::|Notification/.test(e));
  assert.deepEqual(errors(v), []);
  assert.deepEqual(errors(a), []);
});

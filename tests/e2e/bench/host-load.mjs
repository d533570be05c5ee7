// `cargo xtask bench`: what loading the widget costs the host page. Loads the demo
// product page RUNS times in Debian's Chromium against the real server and records,
// from the first byte, layout shifts (CLS) and long tasks (main-thread tasks over
// 50 ms), plus when the launcher appeared. Prints one JSON line for xtask.
import { startServer, freePort, tempDataDir, cleanup } from '../support/server.mjs';
import { openBrowser } from '../support/browser.mjs';

const RUNS = Number(process.env.KEFU_BENCH_RUNS ?? 5);
// KEFU_BENCH_NETWORK=emulated: every request of the page pays a 40 ms round trip at
// 10 Mbit/s down, 5 Mbit/s up (DevTools network emulation), as on a good mobile link;
// otherwise the loopback interface, where bytes cost next to nothing.
const EMULATED = process.env.KEFU_BENCH_NETWORK === 'emulated'
  ? { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 }
  : null;

const OBSERVE = () => {
  window.__cls = 0;
  window.__longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
    .observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
  const seen = () => document.querySelector('kefu-widget')?.shadowRoot?.querySelector('button.kefu-launcher');
  const poll = () => { if (seen()) window.__launcherAt = performance.now(); else requestAnimationFrame(poll); };
  requestAnimationFrame(poll);
};

const dataDir = tempDataDir();
const server = await startServer({ port: await freePort(), dataDir });
const runs = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const browser = await openBrowser();
    try {
      const { page } = browser;
      await page.addInitScript(OBSERVE);
      if (EMULATED) {
        const cdp = await browser.context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', EMULATED);
      }
      await page.goto(`${server.url}/`);
      await page.locator('button.kefu-launcher').waitFor({ timeout: 30_000 });
      // Let the wasm finish starting and any late shift land.
      await page.waitForTimeout(1_000);
      runs.push(await page.evaluate(() => ({
        cls: window.__cls,
        longTasks: window.__longTasks.map(Math.round),
        loadEventEnd: Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd),
        launcherAt: Math.round(window.__launcherAt ?? -1),
      })));
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
  cleanup(dataDir);
}
console.log(JSON.stringify({ runs }));

// One "guest" test's world: a fresh kefu server, a host site on another origin
// (support/host.mjs) and a fresh browser; all torn down after the test. Helpers read
// the widget inside its shadow root the way a visitor's browser lays it out.
import { startServer, freePort, tempDataDir, cleanup } from './server.mjs';
import { openBrowser } from './browser.mjs';
import { startHost } from './host.mjs';

/**
 * Returns { server, host, page, errors }; `browserOptions` go to openBrowser, `proxy`
 * to startHost (the kefu server behind the host's own origin).
 */
export async function openGuest(t, { headers, proxy = false, browserOptions = {} } = {}) {
  const dataDir = tempDataDir();
  const server = await startServer({ port: await freePort(), dataDir });
  const host = await startHost({ server: server.url, headers, proxy });
  // Reduced motion: no pop-in animation or hover transition between measurements.
  const browser = await openBrowser({ reducedMotion: 'reduce', ...browserOptions });
  t.after(async () => {
    await browser.close();
    await host.close();
    await server.stop();
    cleanup(dataDir);
  });
  return { server, host, page: browser.page, errors: browser.errors };
}

/**
 * Computed styles and boxes of widget pieces, by selector inside the shadow root:
 * { [selector]: { width, height, left, top, right, bottom, style: {prop: value} } };
 * width and height are layout sizes (a hover transform does not count). The mouse
 * moves away first.
 */
export async function measure(page, selectors, props = []) {
  await page.mouse.move(0, 0);
  return page.evaluate(({ selectors, props }) => {
    const root = document.querySelector('kefu-widget').shadowRoot;
    const out = {};
    for (const sel of selectors) {
      const el = root.querySelector(sel);
      if (!el) { out[sel] = null; continue; }
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      const style = {};
      for (const p of props) style[p] = cs.getPropertyValue(p);
      out[sel] = { width: el.offsetWidth ?? r.width, height: el.offsetHeight ?? r.height, left: r.left, top: r.top, right: r.right, bottom: r.bottom, style };
    }
    return out;
  }, { selectors, props });
}

// `cargo xtask bench`: what a visitor of the demo page really downloads, over HTTP, in
// Debian's Chromium against the real server. Records every response of a first visit
// (fresh profile, empty cache) until the launcher shows, then of a repeat visit (a new
// tab of the same profile, so the same HTTP cache), from the DevTools protocol:
// status (as sent: 304 for a revalidation), Content-Encoding, Cache-Control, whether it came from the cache, the body
// as sent (Content-Length) and the bytes on the wire (Network.loadingFinished
// encodedDataLength: headers + body). Prints one JSON line for xtask.
import { startServer, freePort, tempDataDir, cleanup } from '../support/server.mjs';
import { openBrowser } from '../support/browser.mjs';

/** The responses of `page` while `visit()` runs, as rows. */
async function record(context, page, visit) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const byId = new Map();
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    const h = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    byId.set(requestId, {
      path: new URL(response.url).pathname,
      status: response.status,
      encoding: h['content-encoding'] ?? '',
      cacheControl: h['cache-control'] ?? '',
      contentLength: h['content-length'] === undefined ? null : Number(h['content-length']),
      fromCache: Boolean(response.fromDiskCache || response.fromPrefetchCache),
      wire: null,
    });
  });
  // The status on the wire: a revalidated cached response shows as 200 above, 304 here.
  const wireStatus = new Map();
  cdp.on('Network.responseReceivedExtraInfo', ({ requestId, statusCode }) => {
    wireStatus.set(requestId, statusCode);
  });
  cdp.on('Network.requestServedFromCache', ({ requestId }) => {
    const row = byId.get(requestId);
    if (row) row.fromCache = true;
    else byId.set(requestId, { fromCache: true });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const row = byId.get(requestId);
    if (row) row.wire = encodedDataLength;
  });
  await visit();
  // Until every response has finished loading (the launcher may show first).
  for (let i = 0; i < 100 && [...byId.values()].some((r) => r.path && r.wire === null); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await cdp.detach();
  for (const [id, status] of wireStatus) if (byId.get(id)?.path) byId.get(id).status = status;
  return [...byId.values()].filter((row) => row.path);
}

const dataDir = tempDataDir();
const server = await startServer({ port: await freePort(), dataDir });
const browser = await openBrowser();
let result;
try {
  const { context, page } = browser;
  const visit = (p) => async () => {
    await p.goto(`${server.url}/`);
    await p.locator('button.kefu-launcher').waitFor({ timeout: 30_000 });
  };
  const first = await record(context, page, visit(page));
  const again = await context.newPage();
  const repeat = await record(context, again, visit(again));
  result = { first, repeat };
} finally {
  await browser.close();
  await server.stop();
  cleanup(dataDir);
}
console.log(JSON.stringify(result));

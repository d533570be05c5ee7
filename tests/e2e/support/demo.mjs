// One test's world: a fresh server with the demo site on a free port, a fresh browser
// on its demo page with the chat window open; both torn down after the test.
import { startServer, freePort, tempDataDir, cleanup } from './server.mjs';
import { openBrowser } from './browser.mjs';

/** Returns { server, page, errors }. */
export async function openDemoChat(t) {
  const dataDir = tempDataDir();
  const server = await startServer({ port: await freePort(), dataDir });
  const browser = await openBrowser();
  t.after(async () => {
    await browser.close();
    await server.stop();
    cleanup(dataDir);
  });
  await browser.page.goto(`${server.url}/`);
  await browser.page.locator('button.kefu-launcher').click({ timeout: 30_000 });
  return { server, page: browser.page, errors: browser.errors };
}

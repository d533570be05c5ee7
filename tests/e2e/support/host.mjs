// A host site on its own origin (a second port), serving the pages under
// tests/e2e/pages/ with `{{SERVER}}` replaced by the kefu server's URL, and with the
// headers a test asks for (a strict CSP, say). `/slow.svg` answers after `slowMs`, so
// a page's `load` event can be held back; `{{ATTRS}}` becomes the request's `data-*`
// query parameters as attributes (`?data-theme=dark`). Knows nothing about the widget.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGES = join(dirname(fileURLToPath(import.meta.url)), '..', 'pages');
const TYPES = { html: 'text/html; charset=utf-8', css: 'text/css', js: 'application/javascript' };

/**
 * Start the host site. `headers(path)` returns extra response headers for a page.
 * Returns { url, close() }.
 */
export async function startHost({ server, headers = () => ({}), slowMs = 2_000 }) {
  const http = createServer((req, res) => {
    const path = new URL(req.url, 'http://host').pathname;
    if (path === '/slow.svg') {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'image/svg+xml' });
        res.end('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
      }, slowMs);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const name = path.replace(/^\/+/, '');
    const ext = name.split('.').pop();
    if (!/^[a-z0-9-]+\.(html|css|js)$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    let body;
    try {
      const attrs = [...new URL(req.url, 'http://host').searchParams]
        .filter(([k, v]) => /^data-[a-z-]+$/.test(k) && /^[\w .#-]*$/.test(v))
        .map(([k, v]) => ` ${k}="${v}"`).join('');
      body = readFileSync(join(PAGES, name), 'utf8').replaceAll('{{SERVER}}', server).replaceAll('{{ATTRS}}', attrs);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[ext], 'cache-control': 'no-store', ...headers(path) });
    res.end(body);
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${http.address().port}`;
  return {
    url,
    close: () => new Promise((resolve) => { http.closeAllConnections(); http.close(resolve); }),
  };
}

// A host site on its own origin (a second port), serving the pages under
// tests/e2e/pages/ with `{{SERVER}}` replaced by the kefu server's URL, and with the
// headers a test asks for (a strict CSP, say). `/slow.svg` answers after `slowMs`, so
// a page's `load` event can be held back; `{{ATTRS}}` becomes the request's `data-*`
// query parameters as attributes (`?data-theme=dark`). Knows nothing about the widget.
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGES = join(dirname(fileURLToPath(import.meta.url)), '..', 'pages');
const TYPES = { html: 'text/html; charset=utf-8', css: 'text/css', js: 'application/javascript' };

/**
 * Start the host site. `headers(path)` returns extra response headers for a page.
 * With `proxy`, every other path (the loader, the widget, `/ws` upgrades included) is
 * passed through to the kefu server: the widget is then same-origin with the page.
 * Returns { url, close() }.
 */
export async function startHost({ server, headers = () => ({}), slowMs = 2_000, proxy = false }) {
  const upstream = new URL(server);
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
    if (proxy && !/\.html$|^strict-csp\.css$/.test(name)) {
      const out = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      out.on('error', () => res.writeHead(502).end());
      req.pipe(out);
      return;
    }
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
  // WebSocket upgrades go through as raw bytes once the request head is replayed.
  const sockets = new Set();
  http.on('upgrade', (req, socket, head) => {
    if (!proxy) { socket.destroy(); return; }
    const up = connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(lines.join('\r\n') + '\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    for (const s of [up, socket]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => { up.destroy(); socket.destroy(); }); }
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${http.address().port}`;
  return {
    url,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      http.closeAllConnections();
      http.close(resolve);
    }),
  };
}

import http from 'node:http';

/** Where the peers send events and feature-flag requests: accepted and dropped, as a collector that is up would. */
const SINKS = ['/e/', '/i/', '/flags/', '/s/', '/api/1/envelope/'];

/**
 * Serves the bench pages, the scripts under test and the peers' API answers from memory, on its
 * own origin (the collector is another). Scripts are cacheable as from a CDN, so a repeat view
 * finds them in the HTTP cache, as a returning visitor does; pages and API answers are not.
 * `misses` lists the paths asked for that it does not know, so a broken page shows.
 *
 * @param {Map<string, { type: string, body: string, cache?: boolean }>} routes
 */
export async function serveSite(routes) {
  const misses = new Set();
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://bench');
    const route = routes.get(pathname);
    if (route) {
      res.writeHead(200, { 'Content-Type': route.type, 'Cache-Control': route.cache ? 'public, max-age=3600' : 'no-store' });
      return void res.end(route.body);
    }
    req.resume();
    if (SINKS.some((p) => pathname.startsWith(p))) return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    misses.add(`${req.method} ${pathname}`);
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    origin: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    misses,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

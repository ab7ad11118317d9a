// Your own backend, serverless: a fetch-style handler (Request in, Response out), as Cloudflare
// Workers, Deno Deploy, Bun, Netlify and Vercel functions and Next.js route handlers take it.
import { memoryStore, receiveBatch } from './answers.mjs';

/** The pages allowed to post: the widget reads the response, so a cross-origin page needs CORS. */
const ALLOWED_ORIGINS = ['https://shop.example.com'];

/**
 * `POST /api/answers` as a function. Memory does not outlive a serverless instance: give it a
 * store backed by your database (`save(answers)`, keyed by answer id).
 */
export function createHandler(store = memoryStore()) {
  return async function handle(request) {
    const origin = request.headers.get('origin');
    const cors = origin && ALLOWED_ORIGINS.includes(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type' },
      });
    }
    if (request.method !== 'POST')
      return Response.json({ error: 'method not allowed' }, { status: 405, headers: { ...cors, Allow: 'POST, OPTIONS' } });
    const { status, body } = await receiveBatch(request.headers.get('content-type'), await request.text(), store);
    return Response.json(body, { status, headers: cors });
  };
}

/** Workers-style default export; with Next.js: `export const POST = createHandler(store)` in app/api/answers/route.js. */
export default { fetch: createHandler() };

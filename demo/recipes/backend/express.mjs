// Your own backend, Express: `node demo/recipes/backend/express.mjs` listens on PORT (3000).
import express from 'express';
import { pathToFileURL } from 'node:url';
import { memoryStore, receiveBatch } from './answers.mjs';

/** The pages allowed to post: the widget reads the response, so a cross-origin page needs CORS. */
const ALLOWED_ORIGINS = ['https://shop.example.com'];

/** An app with `POST /api/answers`; pass your own store (`save(answers)`) in place of memory. */
export function createApp(store = memoryStore()) {
  const app = express();
  app.use('/api/answers', (req, res, next) => {
    const origin = req.get('origin');
    if (origin && ALLOWED_ORIGINS.includes(origin)) res.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
    if (req.method !== 'OPTIONS') return next();
    // Only `"contentType": "application/json"` makes a browser ask first.
    res.set({ 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type' }).sendStatus(204);
  });
  // Both content types carry the same JSON text: read it as text, parse it once.
  app.post('/api/answers', express.text({ type: ['text/plain', 'application/json'], limit: '1mb' }), async (req, res) => {
    const { status, body } = await receiveBatch(req.get('content-type'), req.body, store);
    res.status(status).json(body);
  });
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT || 3000);
  createApp().listen(port, () => console.log(`answers: POST http://localhost:${port}/api/answers`));
}

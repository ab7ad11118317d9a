import type { RequestListener } from 'node:http';
import type { AnswerStore } from './answers.mjs';

/** An Express app (a request listener) with `POST /api/answers`. */
export function createApp(
  store?: AnswerStore,
): RequestListener & { listen(port: number, callback?: () => void): import('node:http').Server };

import type { AnswerStore } from './answers.mjs';

export function createHandler(store?: AnswerStore): (request: Request) => Promise<Response>;

declare const worker: { fetch: (request: Request) => Promise<Response> };
export default worker;

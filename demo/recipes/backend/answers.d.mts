import type { Answer, Impression } from '../../../src/index';

/** Where records go: one per id, a resent answer only filling in a missing comment or emotion words. */
export interface AnswerStore {
  save(answers: Answer[], impressions: Impression[]): Promise<{ accepted: number; duplicates: number }>;
}

export function memoryStore(): AnswerStore & { all(): Answer[]; impressions(): Impression[] };

export function receiveBatch(
  contentType: string | null | undefined,
  text: string,
  store: AnswerStore,
): Promise<{ status: number; body: Record<string, unknown> }>;

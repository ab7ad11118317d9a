import type { Answer } from '../../../src/index';

/** Where answers go: one per id, a resend only filling in a missing comment or emotion words. */
export interface AnswerStore {
  save(answers: Answer[]): Promise<{ accepted: number; duplicates: number }>;
}

export function memoryStore(): AnswerStore & { all(): Answer[] };

export function receiveBatch(
  contentType: string | null | undefined,
  text: unknown,
  store: AnswerStore,
): Promise<{ status: number; body: Record<string, unknown> }>;

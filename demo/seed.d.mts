import type { Impression } from '../src/answer';
import type { Store } from '../server/store';

export const DEFAULT_SEED: number;
export const SCENARIO: string;

export interface SeedOptions {
  seed?: number;
  /** The day after the last generated day (default: today, UTC). */
  end?: Date | string;
  site?: string;
}

export interface Journey {
  answers: Array<
    Record<string, unknown> & {
      id: string;
      responseId: string;
      touchpoint: string;
      kind: string;
      answeredAt: string;
      score?: number;
      emotions: string[];
      offered?: string[];
    }
  >;
  /** A 'shown' per showing, and a 'dismissed' for most of those closed unanswered (SPEC §5). */
  impressions: Impression[];
  /** When the checkout redesign shipped (ISO, a UTC midnight). */
  changeAt: string;
  from: string;
  to: string;
  seed: number;
  scenario: string;
}

export function seededUuid(seed: number, name: string): string;
export function todayUtc(now?: Date): Date;
/** The synthetic journey; deterministic. Loads the widget's word draw from the build. */
export function generateJourney(options?: SeedOptions): Promise<Journey>;
/** Stores it (answers marked seeded); running it again stores nothing new. */
export function seedStore(
  store: Pick<Store, 'insertAnswers' | 'insertImpressions'>,
  options?: SeedOptions,
): Promise<Journey & { inserted: number; duplicates: number; impressionsInserted: number }>;

import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Collector } from '../../server/collector';

export const CHROMIUM: string;
export const ONE_ANSWER_MAX_BYTES: number;
export function sleep(ms: number): Promise<void>;
export function waitFor<T>(fn: () => T | Promise<T>, timeoutMs: number, everyMs?: number): Promise<T>;

export interface Prng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}
export function prng(seed: number): Prng;
export function runSeed(seed: number, index: number): number;

/** An answer as the page's `answer` event reported it (SPEC §4). */
export type GivenAnswer = Record<string, unknown> & { id: string; responseId: string; context?: Record<string, unknown> };

export type Verdict = 'drop' | 'cut' | { status: number; headers?: Record<string, string> } | undefined;
export interface Post {
  at: number;
  bytes: number;
  /** Ids in the body, once it was read (undefined for dropped posts). */
  ids: string[] | undefined;
  /** 'ok', 'drop', 'cut', or the injected status. */
  outcome: string;
  /** The body has arrived, or the connection is gone. */
  done: boolean;
}
export interface Fault {
  name: string;
  decide(post: Post): Verdict;
  served?: number[];
  recovered?: number;
}
export const faults: {
  none(): undefined;
  drop(): Fault;
  status(status: number, k?: number, headers?: Record<string, string>): Fault & { served: number[] };
  tooLarge(): Fault;
  cutThenDrop(): Fault;
};

export interface Wire {
  posts: Post[];
  arrivals: Map<string, number[]>;
  storedAt: Map<string, number>;
  served: Record<string, number>;
  fault: Fault | undefined;
  hold: { ms: number; when: 'before' | 'after' } | undefined;
  readonly holding: number;
  /** No post is still arriving and no insert is under way. */
  readonly quiet: boolean;
}

export interface Tally {
  submitted: number;
  stored: number;
  lost: number;
  lostIds: string[];
  deadLettered: number;
  deadStored: string[];
  deadResent: string[];
  duplicatesStored: number;
  wireDuplicates: number;
  altered: string[];
  pageErrors: string[];
  unhandled: number;
  unhandledReasons: string[];
  latencies: number[];
}

export interface Session {
  site: string;
  context: BrowserContext;
  given: Map<string, GivenAnswer>;
  dead: Map<string, number>;
  errorEvents: { path: string; message: string; ids?: string[]; status?: number }[];
  pageErrors: string[];
  unhandled: string[];
  restores: { at: number; pending: Set<string> }[];
  notes: string[];
  consoleLines: string[];
  pending(): string[];
  open(options?: { debug?: boolean }): Promise<Page>;
  reload(page: Page): Promise<void>;
  answer(page: Page, score?: number, options?: { queued?: boolean }): Promise<GivenAnswer>;
  flush(page: Page): Promise<void>;
  online(): Promise<void>;
  restored(at?: number): void;
  delivered(timeoutMs: number): Promise<boolean>;
  /** Delivered, and acknowledged: gone from the outbox of `page`. */
  settled(page: Page, timeoutMs: number): Promise<boolean>;
  quota(page: Page, bytes: number | undefined): Promise<void>;
  pageUnhandled(): Promise<number>;
  tally(): Promise<Tally>;
  close(): Promise<void>;
}

export interface Bench {
  collector: Collector;
  browser: Browser;
  wire: Wire;
  logs: string[];
  url: string;
  heal(): void;
  /** A new session; `impressions: false` turns them off, for a test that counts posts of one answer. */
  session(site: string, options?: { impressions?: boolean }): Promise<Session>;
  close(): Promise<void>;
}
export function startBench(): Promise<Bench>;
export function sameAnswer(given: Record<string, unknown>, stored: Record<string, unknown>): boolean;
export function percentile(values: number[], p: number): number | undefined;

/** Page-side helpers, for `page.evaluate`. */
export function inOutbox(id: string): Promise<boolean>;
export function deleteDatabase(): Promise<'deleted' | 'blocked' | 'error'>;
export function blockDatabase(): Promise<'deleted' | 'blocked' | 'error'>;
export function releaseDatabase(): void;

import type { Bench, Tally } from './core.mjs';

export const FAULT_NAMES: readonly string[];

export interface RunResult extends Tally {
  index: number;
  seed: number;
  steps: string[];
  notes: string[];
  stalled: number;
  slow: number;
  nudged: number;
  reloaded: number;
  retryAfterWaits: number[];
  served: Record<string, number>;
  errors: string[];
  timedOut: boolean;
  ms: number;
}

export interface Summary {
  seed: number;
  ms: number;
  runs: number;
  submitted: number;
  stored: number;
  lost: number;
  deadLettered: number;
  wireDuplicates: number;
  duplicatesStored: number;
  altered: number;
  deadStored: number;
  deadResent: number;
  pageErrors: number;
  unhandled: number;
  stalled: number;
  slow: number;
  nudged: number;
  reloaded: number;
  errors: string[];
  timedOut: number;
  failedRuns: { index: number; seed: number; steps: string[]; why: string[]; lostIds: string[] }[];
  injected: Record<string, number>;
  served: Record<string, number>;
  latency: { n: number; p50?: number; p95?: number; max?: number };
  retryAfter: { n: number; p50?: number; min?: number; max?: number };
  results: RunResult[];
}

export function planRun(seed: number): { steps: string[] };
export function runOne(bench: Bench, seed: number, index: number): Promise<RunResult>;
export function violations(r: RunResult): string[];
export function runSeries(options: {
  runs: number;
  seed: number;
  workers?: number;
  only?: number;
  onRun?: (r: RunResult, done: number, total: number) => void;
}): Promise<Summary>;
export function summarize(results: RunResult[], seed: number, ms: number): Summary;
export function formatTable(summary: Summary): string;

// The one way in for posted records: content type, UTF-8, JSON, record limits and the widget's
// own zod schema, with every problem named by its path. The collector and the backend recipes
// (`moodpoint/ingest`) both call `readBatch`, so a batch one accepts the other accepts too.
import * as z from 'zod/mini';
import { batchSchema, MAX_BATCH_RECORDS, type Answer, type Impression } from '../src/answer';
import { formatPath } from '../src/validate';
import type { BatchError, ErrorBody } from './http';

/** Bodies above this are refused: the widget's batches stay under 60 KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Records of one kind accepted in one request; the widget sends at most 50. */
export const MAX_RECORDS = MAX_BATCH_RECORDS;

/** At most this many validation errors are listed; a 500-answer batch of junk need not echo 10,000 lines. */
const MAX_LISTED_ERRORS = 50;

/** What a post carried once it passed every check, or the status and body to refuse it with. */
export type Ingested =
  { ok: true; answers: Answer[]; impressions: Impression[] } | { ok: false; status: 400 | 413 | 415; body: ErrorBody; log: string };

type Refusal = Extract<Ingested, { ok: false }>;

const refuse = (status: Refusal['status'], error: string): Refusal => ({ ok: false, status, body: { error }, log: error });

// zod mini ships no messages; English ones per parse keep zod's global config untouched.
const zodErrors = { error: z.locales.en().localeError };

/** A posted key as it may be shown back: a megabyte-long key name is cut, not echoed. */
function shortKey(key: PropertyKey): string {
  const text = String(key);
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

/** `answers[2].score`: the form a site owner can find in the posted JSON. */
const pathOf = (segments: readonly PropertyKey[]) => formatPath(segments.map((s) => (typeof s === 'number' ? s : shortKey(s))));

/** The record an error belongs to: `answers[2]…` and `impressions[2]…` are record 2 of their list. */
function indexOf(segments: readonly PropertyKey[]): number | null {
  return (segments[0] === 'answers' || segments[0] === 'impressions') && typeof segments[1] === 'number' ? segments[1] : null;
}

/** Flattens zod issues to one entry per problem, naming the record it belongs to. */
function toErrors(issues: readonly z.core.$ZodIssue[]): BatchError[] {
  const errors: BatchError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ index: indexOf(issue.path), path: pathOf([...issue.path, key]), message: `Unknown field "${shortKey(key)}"` });
      }
    } else {
      errors.push({ index: indexOf(issue.path), path: pathOf(issue.path), message: issue.message });
    }
  }
  return errors;
}

/**
 * Own `__proto__` keys (JSON.parse makes them ordinary properties) in the batch, its records and
 * their contexts. Some zod versions drop such a key silently instead of calling it unknown, so the
 * collector looks for itself: a field nobody defined is an error however it is spelt.
 */
function protoKeyErrors(data: unknown): BatchError[] {
  const errors: BatchError[] = [];
  const visit = (value: unknown, segments: PropertyKey[], depth: number) => {
    if (value === null || typeof value !== 'object' || depth > 3) return;
    if (Array.isArray(value)) {
      value.slice(0, MAX_RECORDS).forEach((item, i) => visit(item, [...segments, i], depth + 1));
      return;
    }
    if (Object.hasOwn(value, '__proto__')) {
      errors.push({ index: indexOf(segments), path: pathOf([...segments, '__proto__']), message: 'Unknown field "__proto__"' });
    }
    for (const key of Object.keys(value))
      if (key !== '__proto__') visit((value as Record<string, unknown>)[key], [...segments, key], depth + 1);
  };
  visit(data, [], 0);
  return errors;
}

/**
 * The widget sends text/plain by default so that no preflight can lose a send at unload
 * (SPEC §5); application/json is the opt-in. A post without a type (some beacons) is taken too.
 */
export function checkContentType(header: string | null | undefined): Refusal | undefined {
  if (!header) return undefined;
  const [type, ...params] = header
    .toLowerCase()
    .split(';')
    .map((s) => s.trim());
  if (type !== 'text/plain' && type !== 'application/json') return refuse(415, 'Content-Type must be text/plain or application/json');
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') return refuse(415, 'charset must be UTF-8');
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Too many records is a 413, before the schema: SPEC §5 senders split the batch and retry the halves. */
function tooMany(data: unknown): Refusal | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  for (const kind of ['answers', 'impressions'] as const) {
    const list = (data as Record<string, unknown>)[kind];
    if (Array.isArray(list) && list.length > MAX_RECORDS) {
      return refuse(413, `too many ${kind}: ${list.length} in one request, at most ${MAX_RECORDS}; split the batch`);
    }
  }
  return undefined;
}

/**
 * Reads one posted batch: `{ "answers": [...] }` or `{ "impressions": [...] }` (SPEC §4, §5).
 * `body` is the raw bytes, or text a framework already decoded. Nothing is stored here; a refusal
 * says which 4xx to answer and why, and a batch is refused whole, never in part.
 */
export function readBatch(contentType: string | null | undefined, body: string | Uint8Array): Ingested {
  const wrongType = checkContentType(contentType);
  if (wrongType) return wrongType;
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = utf8.decode(body);
    } catch {
      return refuse(400, 'body is not valid UTF-8');
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return refuse(400, `malformed JSON: ${(err as Error).message}`);
  }
  const over = tooMany(data);
  if (over) return over;
  const result = z.safeParse(batchSchema(), data, zodErrors);
  const proto = protoKeyErrors(data);
  if (result.success && proto.length === 0)
    return { ok: true, answers: result.data.answers ?? [], impressions: result.data.impressions ?? [] };
  const fromSchema = result.success ? [] : toErrors(result.error.issues).filter((e) => !proto.some((p) => p.path === e.path));
  const all = [...proto, ...fromSchema];
  const errors = all.slice(0, MAX_LISTED_ERRORS);
  return {
    ok: false,
    status: 400,
    body: all.length > errors.length ? { errors, more: all.length - errors.length } : { errors },
    log: `invalid batch: ${errors[0]?.path} ${errors[0]?.message}`,
  };
}

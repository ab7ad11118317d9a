import * as z from 'zod/mini';
import { MAX_CONTEXT_KEYS } from './context';
import { wholeNumber, type Kind } from './config';
import { EMOTIONS, type Emotion } from './emotions';
import { memo } from './memo';

/** Longest free-text comment accepted, in UTF-16 code units (the UI caps input at the same length). */
export const MAX_COMMENT = 2000;

/** Score range of each scored kind; `ces` may also use a 5-point scale, which fits inside 1..7. */
export const SCORE_RANGE = { nps: [0, 10], ces: [1, 7], emotion: [1, 10] } as const;

/** Most records of one kind accepted in one `POST`; the widget sends at most 50. */
export const MAX_BATCH_RECORDS = 500;

const shortText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** An RFC 9562 UUID (versions 1 to 8), or the nil or max UUID. */
const UUID = /^(?:[\da-f]{8}-[\da-f]{4}-[1-8][\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}|0{8}(?:-0{4}){3}-0{12}|f{8}(?:-f{4}){3}-f{12})$/i;
/** A UTC time as `Date.toISOString()` writes it; seconds and their fraction may be left out. */
const UTC_TIME = /^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?Z$/;

/**
 * Ids and times are plain strings checked by pattern: the same rules as zod's `uuid()` and
 * `iso.datetime()`, without the code of two more string formats in the prompt file.
 */
const uuid = () => z.string().check(z.regex(UUID, 'is not a UUID'));
const utcTime = () =>
  z.string().check(
    z.regex(UTC_TIME, 'is not a UTC time such as "2026-11-22T10:00:00.000Z"'),
    // The pattern lets 2026-02-31 and 24:00 through; a date that rolls over is not one.
    z.refine((v) => {
      const time = new Date(v);
      return !Number.isNaN(time.getTime()) && time.toISOString().slice(0, 10) === v.slice(0, 10);
    }, 'is not a real date and time'),
  );

function buildAnswerSchema() {
  const jsonValue: z.ZodMiniType<string | number | boolean | null> = z.union([
    z.string().check(z.maxLength(500)),
    z.number(),
    z.boolean(),
    z.literal(null),
  ]);
  return z
    .strictObject({
      id: uuid(),
      responseId: shortText(64),
      touchpoint: shortText(64),
      stage: z.optional(shortText(64)),
      kind: z.enum(['nps', 'ces', 'emotion', 'comment']),
      score: z.optional(z.number().check(wholeNumber())),
      emotions: z.array(z.enum(EMOTIONS)).check(z.maxLength(3)),
      offered: z.optional(z.array(z.enum(EMOTIONS)).check(z.maxLength(EMOTIONS.length))),
      comment: z.optional(z.string().check(z.maxLength(MAX_COMMENT))),
      context: z.optional(
        z
          .record(z.string().check(z.maxLength(64)), jsonValue)
          .check(z.refine((c) => Object.keys(c).length <= MAX_CONTEXT_KEYS, `has more than ${MAX_CONTEXT_KEYS} keys`)),
      ),
      site: z.optional(shortText(64)),
      user: z.optional(shortText(128)),
      locale: z.optional(shortText(35)),
      url: z.optional(z.string().check(z.maxLength(2048))),
      answeredAt: utcTime(),
      v: z.literal(1),
    })
    .check(
      z.refine(
        (a) => {
          if (a.kind === 'comment') return a.score === undefined && !!a.comment;
          const [min, max] = SCORE_RANGE[a.kind];
          return a.score !== undefined && a.score >= min && a.score <= max;
        },
        {
          message:
            'score is missing or out of range for its kind (nps 0..10, ces 1..7, emotion 1..10; a comment record has a comment and no score)',
          path: ['score'],
        },
      ),
      z.refine((a) => !a.offered || a.emotions.every((w) => a.offered!.includes(w)), {
        message: 'holds a word that was not offered: every chosen word is one of "offered"',
        path: ['emotions'],
      }),
    );
}

function buildImpressionSchema() {
  return z.strictObject({
    id: uuid(),
    responseId: shortText(64),
    touchpoint: shortText(64),
    stage: z.optional(shortText(64)),
    site: z.optional(shortText(64)),
    event: z.enum(['shown', 'dismissed']),
    at: utcTime(),
    v: z.literal(1),
  });
}

/**
 * One answer as stored in the outbox and as posted (SPEC §4), built on first use. The widget
 * validates its own answers with it before storing them, and the reference collector validates
 * what it receives.
 */
export const answerSchema = /* @__PURE__ */ memo(buildAnswerSchema);

/**
 * One impression (SPEC §5): a showing of a touchpoint, or its dismissal without a finished answer.
 * It carries no user and no context, only what a response rate needs.
 */
export const impressionSchema = /* @__PURE__ */ memo(buildImpressionSchema);

/**
 * The body of `POST {endpoint}`: `{ "answers": [...] }` or `{ "impressions": [...] }`. The widget
 * never mixes the two in one post, so an endpoint that knows only answers refuses only impressions.
 */
export const batchSchema = /* @__PURE__ */ memo(() =>
  z
    .strictObject({
      answers: z.optional(z.array(answerSchema()).check(z.maxLength(MAX_BATCH_RECORDS))),
      impressions: z.optional(z.array(impressionSchema()).check(z.maxLength(MAX_BATCH_RECORDS))),
    })
    .check(
      z.refine((b) => (b.answers?.length ?? 0) + (b.impressions?.length ?? 0) > 0, {
        message: 'holds no records: send "answers" or "impressions" with at least one item',
        path: ['answers'],
      }),
    ),
);

/** One answer (SPEC §4). */
export type Answer = z.infer<ReturnType<typeof buildAnswerSchema>>;

/** One impression (SPEC §5). */
export type Impression = z.infer<ReturnType<typeof buildImpressionSchema>>;

/** What a step adds to its scored answer after the score: words (and which were on offer), or a comment. */
export interface Detail {
  emotions?: Emotion[];
  offered?: Emotion[];
  comment?: string;
}

/** The fields every answer of one showing carries. */
export type ShowingFields = Pick<Answer, 'responseId' | 'touchpoint' | 'stage' | 'site' | 'user' | 'context' | 'locale' | 'url'>;

/** A new scored answer of a showing, with its idempotency key made now, once. */
export function newAnswer(showing: ShowingFields, kind: Kind, score: number, now = new Date()): Answer {
  return { id: crypto.randomUUID(), ...showing, kind, score, emotions: [], answeredAt: now.toISOString(), v: 1 };
}

/**
 * A scored answer with what the person added after the score. Once the scored answer was sent, a
 * comment travels as its own `kind: "comment"` record of the same showing (SPEC §4), and emotion
 * words as a resend under the same id, which the collector merges.
 */
export function withDetail(scored: Answer, detail: Detail, sent: boolean, now = new Date()): Answer {
  if (!sent || !detail.comment) return { ...scored, ...detail };
  return {
    ...scored,
    id: crypto.randomUUID(),
    kind: 'comment',
    score: undefined,
    emotions: [],
    comment: detail.comment,
    answeredAt: now.toISOString(),
  };
}

/** The fields of a showing an impression carries: no user and no context. */
export type ImpressionFields = Pick<Impression, 'responseId' | 'touchpoint' | 'stage' | 'site'>;

/** A record that a showing was on screen, or was dismissed before any answer (SPEC §5). */
export function newImpression(showing: ImpressionFields, event: Impression['event'], now = new Date()): Impression {
  return { id: crypto.randomUUID(), ...showing, event, at: now.toISOString(), v: 1 };
}

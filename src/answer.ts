import * as z from 'zod/mini';
import { MAX_CONTEXT_KEYS } from './context';
import { EMOTIONS } from './emotions';
import { memo } from './memo';

/** Longest free-text comment accepted, in UTF-16 code units (the UI caps input at the same length). */
export const MAX_COMMENT = 2000;

/** Score range of each scored kind; `ces` may also use a 5-point scale, which fits inside 1..7. */
export const SCORE_RANGE = { nps: [0, 10], ces: [1, 7], emotion: [1, 10] } as const;

/** Most records of one kind accepted in one `POST`; the widget sends at most 50. */
export const MAX_BATCH_RECORDS = 500;

const shortText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

function buildAnswerSchema() {
  const jsonValue: z.ZodMiniType<string | number | boolean | null> = z.union([
    z.string().check(z.maxLength(500)),
    z.number(),
    z.boolean(),
    z.null(),
  ]);
  return z
    .strictObject({
      id: z.uuid(),
      responseId: shortText(64),
      touchpoint: shortText(64),
      stage: z.optional(shortText(64)),
      kind: z.enum(['nps', 'ces', 'emotion', 'comment']),
      score: z.optional(z.int()),
      emotions: z.array(z.enum(EMOTIONS)).check(z.maxLength(3)),
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
      answeredAt: z.iso.datetime(),
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
    );
}

function buildImpressionSchema() {
  return z.strictObject({
    id: z.uuid(),
    responseId: shortText(64),
    touchpoint: shortText(64),
    stage: z.optional(shortText(64)),
    site: z.optional(shortText(64)),
    event: z.enum(['shown', 'dismissed']),
    at: z.iso.datetime(),
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

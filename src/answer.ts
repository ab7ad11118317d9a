import * as z from 'zod/mini';
import { MAX_CONTEXT_KEYS } from './context';
import { EMOTIONS } from './emotions';

/** Longest free-text comment accepted, in UTF-16 code units (the UI caps input at the same length). */
export const MAX_COMMENT = 2000;

/** Score range of each scored kind; `ces` may also use a 5-point scale, which fits inside 1..7. */
export const SCORE_RANGE = { nps: [0, 10], ces: [1, 7], emotion: [1, 10] } as const;

const shortText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

const jsonValue: z.ZodMiniType<unknown> = z.union([z.string().check(z.maxLength(500)), z.number(), z.boolean(), z.null()]);

/**
 * One answer as stored in the outbox and as posted (SPEC §4). The widget validates its own
 * answers with it before storing them, and the reference collector validates what it receives.
 */
export const answerSchema = z
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

/** One answer (SPEC §4). */
export type Answer = z.infer<typeof answerSchema>;

/** The body of `POST {endpoint}`: `{ "answers": [...] }`. */
export const batchSchema = z.strictObject({ answers: z.array(answerSchema).check(z.minLength(1), z.maxLength(500)) });

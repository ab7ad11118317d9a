import * as z from 'zod/mini';
import { EMOTIONS } from './emotions';
import { UI_KEYS } from './locales/keys';
import { memo } from './memo';
import { isSafeUrl } from './safeUrl';

/** The prompt kinds (SPEC §1). */
export const KINDS = ['nps', 'ces', 'emotion'] as const;

/** A prompt kind. */
export type Kind = (typeof KINDS)[number];

/** Where the prompt appears: fixed positions, a modal in the centre, or inside a page element (`theme.target`). */
export const POSITIONS = ['bottom-right', 'bottom-left', 'bottom-center', 'center', 'inline'] as const;

/**
 * The check of a whole number. zod's `int()` would carry two more classes of zod into the prompt
 * file; the JSON Schema build recognises this check and writes `"type": "integer"` for it.
 */
export const wholeNumber = /* @__PURE__ */ memo(() => z.refine(Number.isInteger, 'must be a whole number'));

/**
 * The shared parts of the schema. Each zod object costs the page time to make, so identical parts
 * are made once and reused (zod schemas are immutable).
 */
const common = /* @__PURE__ */ memo(() => {
  const made = new Map<number, z.ZodMiniOptional<z.ZodMiniString>>();
  /** An optional non-empty string of at most `max` characters. */
  const text = (max: number) => made.get(max) ?? made.set(max, z.optional(z.string().check(z.minLength(1), z.maxLength(max)))).get(max)!;
  const int = (min: number, max?: number) =>
    z.optional(z.number().check(wholeNumber(), ...(max === undefined ? [z.gte(min)] : [z.gte(min), z.lte(max)])));
  return {
    text,
    int,
    flag: z.optional(z.boolean()),
    days: z.optional(z.number().check(z.gte(0), z.lte(3650))),
    safeUrl: z.optional(z.string().check(z.maxLength(2048), z.refine(isSafeUrl, 'must be an https URL (http only on localhost)'))),
    color: z.optional(z.string().check(z.regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'must be a hex colour such as "#4f46e5"'))),
    /** The error message names what the value is, so a wrong one reads `unknown kind "npx"`. */
    kind: z.enum(KINDS, 'kind'),
    /** Any shipped string can be overridden in config, at the top level, per touchpoint and per prompt. */
    strings: z.optional(z.partialRecord(z.enum([...UI_KEYS, ...EMOTIONS], 'string key'), text(300).def.innerType)),
  };
});

const touchpointSchema = /* @__PURE__ */ memo(() => {
  const { text, int, flag, days, kind, strings } = common();
  const followUp = z.union([
    z.boolean(),
    text(300).def.innerType,
    z.strictObject({ detractor: text(300), passive: text(300), promoter: text(300) }),
  ]);
  const promptObject = z.strictObject({
    kind,
    question: text(300),
    task: text(120),
    scale: z.optional(z.literal([5, 7])),
    followUp: z.optional(followUp),
    emotions: z.optional(z.union([z.boolean(), z.array(z.enum(EMOTIONS)).check(z.minLength(1))])),
    labels: z.optional(z.array(text(60).def.innerType).check(z.length(2))),
    strings,
  });
  const trigger = z.strictObject({
    event: text(64),
    click: text(300),
    url: text(300),
    delayMs: int(0, 3_600_000),
    scrollPercent: z.optional(z.number().check(z.gte(0), z.lte(100))),
    exitIntent: flag,
    pageViews: int(1),
  });
  return z.strictObject({
    id: z.string().check(z.regex(/^[\w.:-]{1,64}$/, 'must be 1-64 letters, digits, "_", "-", "." or ":"')),
    stage: text(64),
    prompts: z.array(z.union([kind, promptObject])).check(z.minLength(1), z.maxLength(3)),
    on: z.optional(trigger),
    sample: z.optional(z.number().check(z.gte(0), z.lte(1))),
    cooldownDays: days,
    dismissCooldownDays: days,
    once: flag,
    strings,
  });
});

/** The config schema (SPEC §3), built on first use. Unknown keys are errors. */
export const configSchema = /* @__PURE__ */ memo(() => {
  const { text, int, flag, days, safeUrl, color, strings } = common();
  return z.strictObject({
    $schema: z.optional(z.string()),
    endpoint: safeUrl,
    site: text(64),
    brand: text(80),
    locale: text(35),
    localeUrl: safeUrl,
    strings,
    debug: flag,
    consent: flag,
    respectGlobalPrivacyControl: flag,
    impressions: flag,
    contentType: z.optional(z.enum(['text/plain;charset=UTF-8', 'application/json'])),
    nonce: text(200),
    outbox: z.optional(z.strictObject({ maxAnswers: int(1, 100_000), maxAgeDays: z.optional(z.number().check(z.gt(0), z.lte(3650))) })),
    theme: z.optional(
      z
        .strictObject({
          accent: color,
          mode: z.optional(z.enum(['light', 'dark', 'auto'])),
          position: z.optional(z.enum(POSITIONS)),
          target: text(300),
          radius: int(0, 32),
          background: color,
          text: color,
          font: z.optional(
            z.string().check(z.maxLength(200), z.regex(/^[\w\s,"'-]*$/, 'must be a font-family list such as "Inter, sans-serif"')),
          ),
          zIndex: int(0, 2147483647),
        })
        .check(
          z.refine((t) => t.position !== 'inline' || !!t.target, {
            message: 'is required with position "inline": a CSS selector of the element to render into',
            path: ['target'],
          }),
        ),
    ),
    throttle: z.optional(z.strictObject({ minDaysBetweenSurveys: days, maxPerSession: int(0) })),
    touchpoints: z.array(touchpointSchema()).check(
      z.maxLength(100),
      z.superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((t, i) => {
          if (seen.has(t.id)) ctx.addIssue({ code: 'custom', message: `duplicate id "${t.id}"`, path: [i, 'id'], input: t.id });
          seen.add(t.id);
        });
      }),
    ),
  });
});

/**
 * Builds the config schema a part at a time, with `pause()` between the parts, so that a page's
 * main thread is never held for long (on a slow phone building it takes over 100 ms in one go).
 */
export async function prepareConfigSchema(pause: () => Promise<void>): Promise<void> {
  for (const part of [common, touchpointSchema, configSchema]) {
    part();
    await pause();
  }
}

/** A valid config. */
export type Config = z.infer<ReturnType<typeof configSchema>>;
/** One configured touchpoint. */
export type Touchpoint = Config['touchpoints'][number];
/** A prompt as written in config: a kind name or an object. */
export type PromptConfig = Touchpoint['prompts'][number];

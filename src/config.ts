import * as z from 'zod/mini';
import { EMOTIONS } from './emotions';
import { en, type StringKey } from './locales/en';
import { memo } from './memo';

/** The prompt kinds (SPEC §1). */
export const KINDS = ['nps', 'ces', 'emotion'] as const;

/** A prompt kind. */
export type Kind = (typeof KINDS)[number];

/** Where the prompt appears: fixed positions, a modal in the centre, or inside a page element (`theme.target`). */
export const POSITIONS = ['bottom-right', 'bottom-left', 'bottom-center', 'center', 'inline'] as const;

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** True for an https URL, or http on this machine; relative URLs resolve against the page first. */
export function isSafeUrl(value: string): boolean {
  try {
    const url = new URL(value, globalThis.location?.href ?? 'https://localhost/');
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname));
  } catch {
    return false;
  }
}

function buildConfigSchema() {
  const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
  const days = z.number().check(z.gte(0), z.lte(3650));
  const safeUrl = z.string().check(z.maxLength(2048), z.refine(isSafeUrl, 'must be an https URL (http only on localhost)'));
  const color = z.string().check(z.regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'must be a hex colour such as "#4f46e5"'));

  /** The error message names what the value is, so a wrong one reads `unknown kind "npx"`. */
  const kind = z.enum(KINDS, 'kind');

  /** Any shipped string can be overridden in config, at the top level, per touchpoint and per prompt. */
  const strings = z.optional(
    z.strictObject(
      Object.fromEntries(Object.keys(en).map((k) => [k, z.optional(text(300))])) as Record<StringKey, z.ZodMiniOptional<z.ZodMiniString>>,
    ),
  );

  const followUp = z.union([
    z.boolean(),
    text(300),
    z.strictObject({
      detractor: z.optional(text(300)),
      passive: z.optional(text(300)),
      promoter: z.optional(text(300)),
    }),
  ]);

  const promptObject = z.strictObject({
    kind,
    question: z.optional(text(300)),
    task: z.optional(text(120)),
    scale: z.optional(z.union([z.literal(5), z.literal(7)])),
    followUp: z.optional(followUp),
    emotions: z.optional(z.union([z.boolean(), z.array(z.enum(EMOTIONS)).check(z.minLength(1))])),
    labels: z.optional(z.tuple([text(60), text(60)])),
    strings,
  });

  const trigger = z.strictObject({
    event: z.optional(text(64)),
    click: z.optional(text(300)),
    url: z.optional(text(300)),
    delayMs: z.optional(z.int().check(z.gte(0), z.lte(3_600_000))),
    scrollPercent: z.optional(z.number().check(z.gte(0), z.lte(100))),
    exitIntent: z.optional(z.boolean()),
    pageViews: z.optional(z.int().check(z.gte(1))),
  });

  const touchpoint = z.strictObject({
    id: z.string().check(z.regex(/^[\w.:-]{1,64}$/, 'must be 1-64 letters, digits, "_", "-", "." or ":"')),
    stage: z.optional(text(64)),
    prompts: z.array(z.union([kind, promptObject])).check(z.minLength(1), z.maxLength(3)),
    on: z.optional(trigger),
    sample: z.optional(z.number().check(z.gte(0), z.lte(1))),
    cooldownDays: z.optional(days),
    dismissCooldownDays: z.optional(days),
    once: z.optional(z.boolean()),
    strings,
  });

  return z.strictObject({
    $schema: z.optional(z.string()),
    endpoint: z.optional(safeUrl),
    site: z.optional(text(64)),
    brand: z.optional(text(80)),
    locale: z.optional(text(35)),
    localeUrl: z.optional(safeUrl),
    strings,
    debug: z.optional(z.boolean()),
    consent: z.optional(z.boolean()),
    respectGlobalPrivacyControl: z.optional(z.boolean()),
    contentType: z.optional(z.enum(['text/plain;charset=UTF-8', 'application/json'])),
    nonce: z.optional(text(200)),
    outbox: z.optional(
      z.strictObject({
        maxAnswers: z.optional(z.int().check(z.gte(1), z.lte(100_000))),
        maxAgeDays: z.optional(z.number().check(z.gt(0), z.lte(3650))),
      }),
    ),
    theme: z.optional(
      z
        .strictObject({
          accent: z.optional(color),
          mode: z.optional(z.enum(['light', 'dark', 'auto'])),
          position: z.optional(z.enum(POSITIONS)),
          target: z.optional(text(300)),
          radius: z.optional(z.int().check(z.gte(0), z.lte(32))),
          background: z.optional(color),
          text: z.optional(color),
          font: z.optional(
            z.string().check(z.maxLength(200), z.regex(/^[\w\s,"'-]*$/, 'must be a font-family list such as "Inter, sans-serif"')),
          ),
          zIndex: z.optional(z.int().check(z.gte(0), z.lte(2147483647))),
        })
        .check(
          z.refine((t) => t.position !== 'inline' || !!t.target, {
            message: 'is required with position "inline": a CSS selector of the element to render into',
            path: ['target'],
          }),
        ),
    ),
    throttle: z.optional(
      z.strictObject({
        minDaysBetweenSurveys: z.optional(days),
        maxPerSession: z.optional(z.int().check(z.gte(0))),
      }),
    ),
    touchpoints: z.array(touchpoint).check(
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
}

/** The config schema (SPEC §3), built on first use. Unknown keys are errors. */
export const configSchema = /* @__PURE__ */ memo(buildConfigSchema);

/** A valid config. */
export type Config = z.infer<ReturnType<typeof buildConfigSchema>>;
/** One configured touchpoint. */
export type Touchpoint = Config['touchpoints'][number];
/** A prompt as written in config: a kind name or an object. */
export type PromptConfig = Touchpoint['prompts'][number];

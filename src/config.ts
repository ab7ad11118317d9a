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

const texts = /* @__PURE__ */ memo(() => new Map<number, z.ZodMiniOptional<z.ZodMiniString>>());
/** An optional non-empty string of at most `max` characters, one schema per length. */
function text(max: number) {
  let schema = texts().get(max);
  if (!schema) texts().set(max, (schema = z.optional(z.string().check(z.minLength(1), z.maxLength(max)))));
  return schema;
}
/** An optional whole number from `min` (to `max`). */
const int = (min: number, max?: number) =>
  z.optional(z.number().check(wholeNumber(), ...(max === undefined ? [z.gte(min)] : [z.gte(min), z.lte(max)])));
/*
 * The parts used in several places, each made on first use and kept: each zod object costs the
 * page time to make, and zod schemas are immutable.
 */
const flag = /* @__PURE__ */ memo(() => z.optional(z.boolean()));
const days = /* @__PURE__ */ memo(() => z.optional(z.number().check(z.gte(0), z.lte(3650))));
const safeUrl = /* @__PURE__ */ memo(() =>
  z.optional(z.string().check(z.maxLength(2048), z.refine(isSafeUrl, 'must be an https URL (http only on localhost)'))),
);
const color = /* @__PURE__ */ memo(() =>
  z.optional(z.string().check(z.regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'must be a hex colour such as "#4f46e5"'))),
);
/** The error message names what the value is, so a wrong one reads `unknown kind "npx"`. */
const kind = /* @__PURE__ */ memo(() => z.enum(KINDS, 'kind'));
/** Any shipped string can be overridden in config, at the top level, per touchpoint and per prompt. */
const strings = /* @__PURE__ */ memo(() =>
  z.optional(z.partialRecord(z.enum([...UI_KEYS, ...EMOTIONS], 'string key'), text(300).def.innerType)),
);

/** Keys an input uses, or `undefined` for "all keys" (the whole schema). */
type Keys = Set<string> | undefined;

/** The own keys of those `values` that are objects (the keys `validate` hands zod). */
const keysOf = (values: unknown[]): Set<string> =>
  new Set(values.flatMap((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [])));

/** What each of `values` holds at `key`, lists spread out: the prompts of all touchpoints, say. */
const listOf = (values: unknown[], key: string): unknown[] =>
  values.flatMap((v) => {
    const item = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    return Array.isArray(item) ? item : [item];
  });

type Parts = Record<string, () => z.ZodMiniType>;
type Shape<P extends Parts> = { [K in keyof P]: ReturnType<P[K]> };

/**
 * A strict object of `parts`, all of them or only those in `keys` and those `required`. The schema
 * of a key that no input value has can only meet its absence, which an optional schema accepts
 * without a trace in the result, so leaving it out changes no outcome: an unknown key is still
 * refused, a missing required one still named. It saves the page making it.
 */
function objectOf<P extends Parts>(parts: P, keys: Keys, required: (keyof P & string)[] = []) {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const key of Object.keys(parts)) if (!keys || keys.has(key) || required.includes(key)) shape[key] = parts[key]!();
  return z.strictObject(shape as Shape<P>);
}

/** The schema of a prompt object, for prompt objects with `keys` (all keys when undefined). */
function promptObject(keys: Keys) {
  return objectOf(
    {
      kind,
      question: () => text(300),
      task: () => text(120),
      scale: () => z.optional(z.literal([5, 7])),
      followUp: () =>
        z.optional(
          z.union([
            z.boolean(),
            text(300).def.innerType,
            z.strictObject({ detractor: text(300), passive: text(300), promoter: text(300) }),
          ]),
        ),
      emotions: () => z.optional(z.union([z.boolean(), z.array(z.enum(EMOTIONS)).check(z.minLength(1))])),
      labels: () => z.optional(z.array(text(60).def.innerType).check(z.length(2))),
      strings,
    },
    keys,
    ['kind'],
  );
}

/** The schema of a touchpoint, for the touchpoints given (all keys of every part when undefined). */
function touchpointSchema(touchpoints?: unknown[]) {
  const keys = (values: unknown[]) => (touchpoints ? keysOf(values) : undefined);
  const prompts = touchpoints ? listOf(touchpoints, 'prompts') : [];
  return objectOf(
    {
      id: () => z.string().check(z.regex(/^[\w.:-]{1,64}$/, 'must be 1-64 letters, digits, "_", "-", "." or ":"')),
      stage: () => text(64),
      prompts: () => z.array(z.union([kind(), promptObject(keys(prompts))])).check(z.minLength(1), z.maxLength(3)),
      on: () =>
        z.optional(
          objectOf(
            {
              event: () => text(64),
              click: () => text(300),
              url: () => text(300),
              delayMs: () => int(0, 3_600_000),
              scrollPercent: () => z.optional(z.number().check(z.gte(0), z.lte(100))),
              exitIntent: flag,
              pageViews: () => int(1),
            },
            keys(touchpoints ? listOf(touchpoints, 'on') : []),
          ),
        ),
      sample: () => z.optional(z.number().check(z.gte(0), z.lte(1))),
      cooldownDays: days,
      dismissCooldownDays: days,
      once: flag,
      strings,
    },
    keys(touchpoints ?? []),
    ['id', 'prompts'],
  );
}

/** The touchpoint schema made for a config: of the keys its touchpoints use. */
const touchpointsOf = (input: unknown) => {
  const list = input !== null && typeof input === 'object' ? (input as Record<string, unknown>).touchpoints : undefined;
  return touchpointSchema(Array.isArray(list) ? list : []);
};

/** The config schema (SPEC §3) around a touchpoint schema; of the keys `input` has unless `whole`. */
function makeConfigSchema(touchpoint: ReturnType<typeof touchpointSchema>, input: unknown, whole: boolean) {
  return objectOf(
    {
      $schema: () => z.optional(z.string()),
      endpoint: safeUrl,
      site: () => text(64),
      brand: () => text(80),
      locale: () => text(35),
      localeUrl: safeUrl,
      strings,
      debug: flag,
      consent: flag,
      respectGlobalPrivacyControl: flag,
      impressions: flag,
      contentType: () => z.optional(z.enum(['text/plain;charset=UTF-8', 'application/json'])),
      nonce: () => text(200),
      outbox: () =>
        z.optional(z.strictObject({ maxAnswers: int(1, 100_000), maxAgeDays: z.optional(z.number().check(z.gt(0), z.lte(3650))) })),
      theme: () =>
        z.optional(
          z
            .strictObject({
              accent: color(),
              mode: z.optional(z.enum(['light', 'dark', 'auto'])),
              position: z.optional(z.enum(POSITIONS)),
              target: text(300),
              radius: int(0, 32),
              background: color(),
              text: color(),
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
      throttle: () => z.optional(z.strictObject({ minDaysBetweenSurveys: days(), maxPerSession: int(0) })),
      touchpoints: () =>
        z.array(touchpoint).check(
          z.maxLength(100),
          z.superRefine((list, ctx) => {
            const seen = new Set<string>();
            list.forEach((t, i) => {
              if (seen.has(t.id)) ctx.addIssue({ code: 'custom', message: `duplicate id "${t.id}"`, path: [i, 'id'], input: t.id });
              seen.add(t.id);
            });
          }),
        ),
    },
    whole ? undefined : keysOf([input]),
    ['touchpoints'],
  );
}

/** The whole config schema (SPEC §3), built on first use: what `moodpoint.schema.json`, the collector and the types use. Unknown keys are errors. */
export const configSchema = /* @__PURE__ */ memo(() => makeConfigSchema(touchpointSchema(), undefined, true));

/**
 * The config schema made for `input`: only the parts its keys use, a part at a time with
 * `pause()` between them, so a page's main thread is never held for long (on a slow phone the
 * whole schema took over 100 ms to make in one go). It accepts and refuses exactly what
 * `configSchema()` does, with the same problems.
 */
export async function configSchemaFor(input: unknown, pause: () => Promise<void>): Promise<ReturnType<typeof configSchema>> {
  const touchpoint = touchpointsOf(input);
  await pause();
  const schema = makeConfigSchema(touchpoint, input, false);
  await pause();
  return schema;
}

/** A valid config. */
export type Config = z.infer<ReturnType<typeof configSchema>>;
/** One configured touchpoint. */
export type Touchpoint = Config['touchpoints'][number];
/** A prompt as written in config: a kind name or an object. */
export type PromptConfig = Touchpoint['prompts'][number];

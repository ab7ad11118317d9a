import * as z from 'zod/mini';
import type { Problem } from './log';

/** The outcome of `validate`: the parsed value, or every problem with its path. */
export type Validated<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

type Issue = z.core.$ZodIssue;
type Key = PropertyKey;

let configured = false;

/** `a.b[2].c` from `['a', 'b', 2, 'c']`; `prefix` names the root. */
export function formatPath(path: readonly Key[], prefix = ''): string {
  let out = prefix;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(root)';
}

function at(value: unknown, path: readonly Key[]): unknown {
  let v = value;
  for (const key of path) v = v != null && typeof v === 'object' ? (v as Record<Key, unknown>)[key] : undefined;
  return v;
}

const article = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** A short rendering of a value for a message; never coerces objects, whose `toString` may be anything. */
const show = (v: unknown) =>
  typeof v === 'string' ? `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"` : v !== null && typeof v === 'object' ? typeName(v) : String(v);

/** A union failed: report the branch that got furthest (fewest problems at its root), since that is what the user meant. */
function bestBranch(branches: Issue[][]): Issue[] {
  const deep = branches.filter((b) => b.every((i) => i.path.length > 0 || i.code === 'custom'));
  const pool = deep.length ? deep : branches;
  return pool.reduce((a, b) => (b.length < a.length ? b : a));
}

function toProblems(issues: readonly Issue[], input: unknown, base: Key[], prefix: string): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const value = at(input, path);
    const where = formatPath(path, prefix);
    switch (issue.code) {
      case 'invalid_union': {
        const enumBranch = issue.errors.flat().find((i) => i.code === 'invalid_value' && i.path.length === 0);
        if (typeof value === 'string' && enumBranch?.code === 'invalid_value') {
          out.push({
            path: where,
            message: `unknown ${enumBranch.message || 'value'} ${show(value)}`,
            fix: `use one of ${enumBranch.values.map(show).join(', ')}`,
          });
        } else {
          out.push(...toProblems(bestBranch(issue.errors), input, path, prefix));
        }
        break;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys)
          out.push({
            path: formatPath([...path, key], prefix),
            message: 'unknown key',
            fix: 'remove it or check its spelling (keys are case-sensitive)',
          });
        break;
      case 'invalid_type':
        out.push(
          value === undefined
            ? { path: where, message: 'is required', fix: `add ${article(issue.expected)}` }
            : { path: where, message: `expected ${issue.expected}, got ${typeName(value)}`, fix: `use ${article(issue.expected)}` },
        );
        break;
      case 'invalid_value':
        out.push({
          path: where,
          message: `${show(value)} is not a valid ${issue.message || 'value'}`,
          fix: `use one of ${issue.values.map(show).join(', ')}`,
        });
        break;
      case 'too_small':
      case 'too_big': {
        const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
        const unit = typeof value === 'string' ? ' characters' : Array.isArray(value) ? ' items' : '';
        const word = issue.code === 'too_small' ? 'at least' : 'at most';
        out.push({
          path: where,
          message: `is ${typeof value === 'number' ? value : `${(value as { length: number }).length}${unit}`}`,
          fix: `use ${word} ${String(bound)}${unit}`,
        });
        break;
      }
      case 'invalid_format':
        out.push({
          path: where,
          message:
            issue.format === 'regex' ? `${show(value)} ${issue.message ?? 'has the wrong format'}` : `is not a valid ${issue.format}`,
        });
        break;
      default:
        out.push({ path: where, message: issue.message || 'is invalid' });
    }
  }
  return out;
}

const MAX_DEPTH = 32;
/** Far more than any real config or answer holds; past it, parsing time would be the page's loss. */
const MAX_VALUES = 10_000;

class TooLarge extends Error {}

/**
 * A copy of `value` whose objects have no prototype. zod looks for unknown keys with `for…in`,
 * which also walks whatever a page added to `Object.prototype`; own keys are all that count. An
 * own `__proto__` key (JSON.parse makes them) is left out of the copy and its path noted in
 * `protoKeys`, since zod passes it over in silence. Throws `TooLarge` past `MAX_VALUES`, so
 * hostile input costs bounded time and memory.
 */
function ownKeysOnly(value: unknown, protoKeys: Key[][], path: Key[] = [], budget = { left: MAX_VALUES }): unknown {
  if (--budget.left < 0) throw new TooLarge();
  if (path.length > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Array.from(value, (v, i) => ownKeysOnly(v, protoKeys, [...path, i], budget));
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') protoKeys.push([...path, key]);
    else copy[key] = ownKeysOnly((value as Record<string, unknown>)[key], protoKeys, [...path, key], budget);
  }
  return copy;
}

/**
 * Validates `input` against a zod schema and turns every issue into a `Problem` naming its path.
 * zod runs jitless so that parsing never probes `new Function` (a strict CSP would report it).
 */
export function validate<T>(schema: z.ZodMiniType<T>, input: unknown, prefix = ''): Validated<T> {
  if (!configured) {
    z.config({ jitless: true });
    configured = true;
  }
  try {
    const protoKeys: Key[][] = [];
    const result = z.safeParse(schema, ownKeysOnly(input, protoKeys));
    const problems: Problem[] = protoKeys.map((path) => ({ path: formatPath(path, prefix), message: 'unknown key', fix: 'remove it' }));
    if (!result.success) problems.push(...toProblems(result.error.issues, input, [], prefix));
    return problems.length ? { ok: false, problems } : { ok: true, value: result.data as T };
  } catch (error) {
    return {
      ok: false,
      problems: [
        error instanceof TooLarge
          ? { path: prefix || '(root)', message: `holds more than ${MAX_VALUES} values`, fix: 'split it or remove what is not needed' }
          : { path: prefix || '(root)', message: `could not be validated (${typeName(error)})`, fix: 'use plain JSON' },
      ],
    };
  }
}

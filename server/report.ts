// GET /api/report: NPS, CES and NEV per journey stage and touchpoint, computed with the same
// metric functions the npm package exports (SPEC §6), so the dashboard and a site owner's own
// scripts always agree. The store only selects rows; every number is made here.
import { nps, ces, nev, compare } from '../../dist/metrics.js';
import { EMOTIONS, emotionValence } from '../../dist/emotions.js';

/** Recent comments kept per touchpoint and stage, and overall. */
export const COMMENTS_PER_GROUP = 10;
export const COMMENTS_OVERALL = 25;

/** Stage label for answers that name none and whose touchpoint the config does not know. */
export const NO_STAGE = '(no stage)';

const QUERY_KEYS = ['from', 'to', 'site', 'compareAt', 'cesScale'];

/** A report query that cannot be answered; the collector turns it into a 400. */
export class ReportQueryError extends Error {}

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A time must say its offset: "10:00" alone means a different instant for every reader.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * `YYYY-MM-DD` (a UTC day) or an ISO 8601 time with `Z` or an offset, as a Date. A day given as
 * `to` means the end of that day, so `from=2026-11-01&to=2026-11-30` is all of November.
 */
function parseTime(name, value, { endOfDay = false } = {}) {
  let time = Number.NaN;
  const day = DATE_ONLY.exec(value);
  if (day) {
    time = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    // Date.UTC rolls 2026-02-31 over into March; refuse instead of guessing.
    if (new Date(time).toISOString().slice(0, 10) !== value) time = Number.NaN;
    else if (endOfDay) time += DAY_MS;
  } else if (DATE_TIME.test(value)) {
    time = Date.parse(value);
  }
  if (Number.isNaN(time)) {
    throw new ReportQueryError(
      `${name}: ${JSON.stringify(value)} is not a date; use YYYY-MM-DD (UTC) or an ISO 8601 time with Z or an offset`,
    );
  }
  return new Date(time);
}

/**
 * `cesScale=5` (every CES touchpoint) or `cesScale=support_closed:5,other_tp:7` (per touchpoint).
 * @returns {{ all?: 5 | 7, byTouchpoint: Map<string, 5 | 7> }}
 */
function parseCesScale(value) {
  const out = { all: undefined, byTouchpoint: new Map() };
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(?:([^:]{1,64}):)?([57])$/.exec(part);
    if (!m) throw new ReportQueryError(`cesScale: ${JSON.stringify(part)} is not 5, 7 or touchpoint:5|7 (e.g. cesScale=support_closed:5)`);
    const scale = /** @type {5 | 7} */ (Number(m[2]));
    if (m[1] === undefined) out.all = scale;
    else out.byTouchpoint.set(m[1], scale);
  }
  return out;
}

/**
 * Reads and checks the report's query string. Unknown or repeated parameters are errors: a
 * misspelt `compareat` silently ignored would show a report that is not the one asked for.
 * @param {URLSearchParams} params
 * @param {string[]} [keys] the parameters this endpoint takes (exports take no compareAt)
 */
export function parseReportQuery(params, keys = QUERY_KEYS) {
  const seen = new Set();
  for (const key of params.keys()) {
    if (!keys.includes(key)) throw new ReportQueryError(`unknown parameter "${key.slice(0, 64)}"; known: ${keys.join(', ')}`);
    if (seen.has(key)) throw new ReportQueryError(`parameter "${key}" given more than once`);
    seen.add(key);
  }
  const text = (key) => {
    const v = params.get(key)?.trim();
    return v ? v : undefined;
  };
  const query = {
    from: text('from') && parseTime('from', text('from')),
    to: text('to') && parseTime('to', text('to'), { endOfDay: true }),
    site: text('site'),
    compareAt: text('compareAt') && parseTime('compareAt', text('compareAt')),
    cesScale: text('cesScale') ? parseCesScale(text('cesScale')) : { all: undefined, byTouchpoint: new Map() },
  };
  if (query.site && query.site.length > 64) throw new ReportQueryError('site: longer than 64 characters');
  if (query.from && query.to && query.from >= query.to) throw new ReportQueryError('from must be before to');
  return query;
}

/** The CES scale a config gives a touchpoint: its first CES prompt's `scale`, else 7. */
function configCesScale(touchpoint) {
  for (const prompt of touchpoint.prompts ?? []) {
    if (typeof prompt === 'object' && prompt?.kind === 'ces') return prompt.scale === 5 ? 5 : 7;
  }
  return undefined;
}

/** Kinds a configured touchpoint asks, so the dashboard can tell "not asked here" from "no answers". */
function configKinds(touchpoint) {
  return (touchpoint.prompts ?? []).map((p) => (typeof p === 'string' ? p : p?.kind)).filter((k) => typeof k === 'string');
}

const isInt = (v, min, max) => Number.isInteger(v) && v >= min && v <= max;

/** Whether `nev()` can take this answer: a feeling score 1..10 and/or distinct known words. */
function nevUsable(a) {
  const words = a.emotions ?? [];
  if (a.score !== undefined && !isInt(a.score, 1, 10)) return false;
  if (words.length === 0 && a.score === undefined) return false;
  return words.every((w, i) => EMOTIONS.includes(w) && words.indexOf(w) === i);
}

function histogram(scores, min, max) {
  const counts = Array.from({ length: max - min + 1 }, () => 0);
  for (const s of scores) counts[s - min] += 1;
  return counts;
}

/** Every chosen word with its count and valence, most chosen first, ties alphabetical (as `nev().topWords`). */
function rankedWords(nevAnswers) {
  const counts = new Map();
  for (const a of nevAnswers) for (const w of a.emotions ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts]
    .map(([word, count]) => ({ word, count, valence: emotionValence(word) }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : 1));
}

/**
 * The inputs of each metric from some answers. `cesScale` null means the answers mix 5- and
 * 7-point touchpoints, whose means cannot be pooled. Answers a metric cannot take (a CES 6 at a
 * 5-point touchpoint, a repeated emotion word) are counted in `excluded`, never clamped.
 */
function inputs(answers, cesScale) {
  const out = { nps: [], ces: [], nev: [], feeling: [], excluded: { nps: 0, ces: 0, nev: 0 } };
  for (const a of answers) {
    if (a.kind === 'nps') {
      if (isInt(a.score, 0, 10)) out.nps.push(a.score);
      else out.excluded.nps += 1;
    } else if (a.kind === 'ces') {
      if (cesScale && isInt(a.score, 1, cesScale)) out.ces.push(a.score);
      else if (cesScale) out.excluded.ces += 1;
    } else if (a.kind === 'emotion') {
      if (nevUsable(a)) {
        out.nev.push({ score: a.score, emotions: a.emotions ?? [] });
        if (a.score !== undefined) out.feeling.push(a.score);
      } else out.excluded.nev += 1;
    }
  }
  return out;
}

/** The comparable part of a metric result: its headline value, interval and n. */
const headline = (r) => ({ n: r.n, value: 'mean' in r ? r.mean : r.score, ci95: r.ci95 });

function verdict(c) {
  if (c.ci95 === null) return 'not enough answers';
  if (!c.excludesZero) return 'no clear change';
  return c.delta > 0 ? 'better' : 'worse';
}

/** `compare()` reduced to what a report shows; higher is better for NPS, CES 2.0 and NEV alike. */
function comparison(before, after, metric, scale) {
  const c = metric === 'ces' ? compare(before, after, 'ces', scale) : compare(before, after, metric);
  return {
    before: headline(c.before),
    after: headline(c.after),
    delta: c.delta,
    ci95: c.ci95,
    excludesZero: c.excludesZero,
    verdict: verdict(c),
  };
}

/**
 * Metrics of one group of answers (a touchpoint, a stage, or all).
 * @param {any[]} answers sorted by answeredAt
 * @param {5 | 7 | null} scale
 */
function summarise(answers, scale, { compareAt, comments, responses }) {
  const input = inputs(answers, scale);
  const cesResult = scale ? { scale, ...ces(input.ces, scale) } : null;
  const group = {
    answers: answers.length,
    responses: new Set(answers.map((a) => a.responseId)).size,
    seeded: answers.filter((a) => a.seeded).length,
    nps: nps(input.nps),
    ces: cesResult,
    nev: nev(input.nev),
    emotions: rankedWords(input.nev),
    distribution: distributions(input, scale),
    excluded: input.excluded,
    comments: recentComments(answers, responses, comments),
  };
  if (compareAt) {
    const cut = compareAt.getTime();
    const beforeAnswers = answers.filter((a) => Date.parse(a.answeredAt) < cut);
    const afterAnswers = answers.filter((a) => Date.parse(a.answeredAt) >= cut);
    const b = inputs(beforeAnswers, scale);
    const a = inputs(afterAnswers, scale);
    group.compare = {
      at: compareAt.toISOString(),
      answers: { before: beforeAnswers.length, after: afterAnswers.length },
      nps: comparison(b.nps, a.nps, 'nps'),
      ces: scale ? comparison(b.ces, a.ces, 'ces', scale) : null,
      nev: comparison(b.nev, a.nev, 'nev'),
      distribution: { before: distributions(b, scale), after: distributions(a, scale) },
    };
  }
  return group;
}

function distributions(input, scale) {
  return {
    nps: histogram(input.nps, 0, 10),
    ces: histogram(input.ces, 1, scale ?? 7),
    feeling: histogram(input.feeling, 1, 10),
  };
}

/** Score that goes with a comment: its own, or for a `kind: "comment"` record that of its response. */
function commentScore(a, responses) {
  if (a.kind !== 'comment') return { score: a.score ?? null, scoreKind: a.kind };
  const scored = responses.get(a.responseId) ?? [];
  for (const kind of ['nps', 'ces', 'emotion']) {
    const match = scored.find((s) => s.kind === kind && s.score !== undefined);
    if (match) return { score: match.score, scoreKind: kind };
  }
  return { score: null, scoreKind: null };
}

function recentComments(answers, responses, limit) {
  const out = [];
  for (let i = answers.length - 1; i >= 0 && out.length < limit; i -= 1) {
    const a = answers[i];
    if (typeof a.comment !== 'string' || a.comment.trim() === '') continue;
    out.push({
      id: a.id,
      answeredAt: a.answeredAt,
      touchpoint: a.touchpoint,
      stage: a.stage ?? null,
      kind: a.kind,
      ...commentScore(a, responses),
      comment: a.comment,
      seeded: a.seeded === true,
    });
  }
  return out;
}

/** Touchpoints a config lists for this report's site, in its order. */
function configuredTouchpoints(configs, site) {
  const out = [];
  for (const config of configs ?? []) {
    if (site && config.site && config.site !== site) continue;
    for (const tp of config.touchpoints ?? []) {
      if (typeof tp?.id !== 'string' || out.some((t) => t.id === tp.id)) continue;
      out.push({
        id: tp.id,
        stage: typeof tp.stage === 'string' ? tp.stage : undefined,
        cesScale: configCesScale(tp),
        asks: configKinds(tp),
      });
    }
  }
  return out;
}

/**
 * Builds the report from stored answers (already filtered by time and site).
 *
 * @param {any[]} answers as `store.listAnswers()` returns them
 * @param {object} options
 * @param {ReturnType<typeof parseReportQuery>} options.query
 * @param {any[]} [options.configs] widget configs (SPEC §3): touchpoint order, stages, CES scales
 * @param {string[]} [options.sites] every site in the store, for a site picker
 */
export function buildReport(answers, { query, configs = [], sites = [] }) {
  const sorted = [...answers].sort((a, b) => Date.parse(a.answeredAt) - Date.parse(b.answeredAt) || (a.id < b.id ? -1 : 1));
  const configured = configuredTouchpoints(configs, query.site);

  /** @type {Map<string, { id: string, stage?: string, cesScale?: 5 | 7, asks?: string[], answers: any[] }>} */
  const touchpoints = new Map();
  for (const tp of configured) touchpoints.set(tp.id, { ...tp, answers: [] });
  for (const a of sorted) {
    if (!touchpoints.has(a.touchpoint)) touchpoints.set(a.touchpoint, { id: a.touchpoint, stage: a.stage, answers: [] });
    const tp = touchpoints.get(a.touchpoint);
    tp.stage ??= a.stage;
    tp.answers.push(a);
  }

  // Which scale each touchpoint's CES is on: the query wins, then the config, then 7 (CES 2.0).
  const scaleOf = (tp) => {
    const fromQuery = query.cesScale.byTouchpoint.get(tp.id) ?? query.cesScale.all;
    if (fromQuery) return { scale: fromQuery, source: 'query' };
    if (tp.cesScale) return { scale: tp.cesScale, source: 'config' };
    return { scale: 7, source: 'default' };
  };

  const responses = new Map();
  for (const a of sorted) {
    if (!responses.has(a.responseId)) responses.set(a.responseId, []);
    responses.get(a.responseId).push(a);
  }
  const common = { compareAt: query.compareAt, responses };

  const stages = new Map();
  const scaleByTouchpoint = new Map();
  for (const tp of touchpoints.values()) {
    const stage = tp.stage ?? NO_STAGE;
    if (!stages.has(stage)) stages.set(stage, []);
    const { scale, source } = scaleOf(tp);
    scaleByTouchpoint.set(tp.id, scale);
    const summary = summarise(tp.answers, scale, { ...common, comments: COMMENTS_PER_GROUP });
    stages.get(stage).push({
      touchpoint: tp.id,
      stage,
      configured: configured.some((c) => c.id === tp.id),
      asks: tp.asks ?? [...new Set(tp.answers.map((a) => a.kind).filter((k) => k !== 'comment'))],
      cesScaleSource: source,
      ...summary,
    });
  }

  /** One scale for a set of touchpoints, or null when they mix 5 and 7 points. */
  const pooledScale = (ids) => {
    const scales = new Set(
      ids.filter((id) => touchpoints.get(id).answers.some((a) => a.kind === 'ces')).map((id) => scaleByTouchpoint.get(id)),
    );
    if (scales.size > 1) return null;
    return scales.size === 1 ? [...scales][0] : 7;
  };

  const journey = [...stages].map(([stage, tps]) => {
    const ids = tps.map((t) => t.touchpoint);
    const stageAnswers = sorted.filter((a) => ids.includes(a.touchpoint));
    return { stage, summary: summarise(stageAnswers, pooledScale(ids), { ...common, comments: COMMENTS_PER_GROUP }), touchpoints: tps };
  });

  const seededAnswers = sorted.filter((a) => a.seeded);
  const labelled = seededAnswers.find((a) => typeof a.context?.seedChangeAt === 'string');

  return {
    generatedAt: new Date().toISOString(),
    query: {
      from: query.from?.toISOString() ?? null,
      to: query.to?.toISOString() ?? null,
      site: query.site ?? null,
      compareAt: query.compareAt?.toISOString() ?? null,
    },
    sites,
    range: sorted.length ? { first: sorted[0].answeredAt, last: sorted.at(-1).answeredAt } : null,
    seeded: {
      answers: seededAnswers.length,
      scenario: labelled?.context?.seedScenario ?? null,
      changeAt: labelled?.context?.seedChangeAt ?? null,
    },
    overall: summarise(sorted, pooledScale([...touchpoints.keys()]), { ...common, comments: COMMENTS_OVERALL }),
    stages: journey,
  };
}

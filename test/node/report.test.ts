// GET /api/report on a small fixed data set, checked against the package's metric functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../server/collector';
import { ces, compare, nev, nps } from '../../src/metrics';
import { BOOT_TIMEOUT, get, post, TOKEN } from './helpers';
import { makeAnswer } from '../answers';

const CONFIG = {
  site: 'shop',
  touchpoints: [
    { id: 'landing', stage: 'browse', prompts: ['emotion'], on: { url: '/' } },
    { id: 'pay', stage: 'purchase', prompts: ['nps', { kind: 'ces', scale: 5, task: 'pay' }], on: { event: 'paid' } },
    { id: 'help', stage: 'support', prompts: [{ kind: 'ces', task: 'get help' }], on: { event: 'closed' } },
    { id: 'wishlist', stage: 'browse', prompts: ['nps'], on: { event: 'wish' } },
  ],
};

const at = (day: string, time = '12:00:00') => `2026-${day}T${time}.000Z`;
const tp = (touchpoint: string, stage: string) => ({ touchpoint, stage, site: 'shop' });
const payResponse = crypto.randomUUID();

/** Before 2026-03-01 and after it, at each touchpoint. */
const DATA = [
  // landing: emotion answers; valences +1, −1 (before), 0, 0 (after)
  makeAnswer({ ...tp('landing', 'browse'), kind: 'emotion', score: 9, emotions: ['happy', 'valued'], answeredAt: at('02-10') }),
  makeAnswer({ ...tp('landing', 'browse'), kind: 'emotion', score: 3, emotions: ['stressed'], answeredAt: at('02-12') }),
  makeAnswer({ ...tp('landing', 'browse'), kind: 'emotion', score: 6, emotions: [], answeredAt: at('03-05') }),
  makeAnswer({ ...tp('landing', 'browse'), kind: 'emotion', score: 8, emotions: ['pleased', 'hurried'], answeredAt: at('03-06') }),
  // pay: NPS 10, 6, 8 before; 9, 9, 7, 3 after. CES (5-point) 2, 3 before; 4, 5, 5 after, and a 7 that no 5-point scale has.
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'nps', score: 10, answeredAt: at('02-01'), comment: 'Easy' }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'nps', score: 6, answeredAt: at('02-02'), responseId: payResponse }),
  makeAnswer({
    ...tp('pay', 'purchase'),
    kind: 'comment',
    score: undefined,
    comment: 'Too slow',
    answeredAt: at('02-02', '12:00:30'),
    responseId: payResponse,
  }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'nps', score: 8, answeredAt: at('02-20') }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'nps', score: 9, answeredAt: at('03-01', '00:00:00') }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'nps', score: 9, answeredAt: at('03-02') }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'nps', score: 7, answeredAt: at('03-03') }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'nps', score: 3, answeredAt: at('03-04'), comment: '=HYPERLINK("http://x")' }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'ces', score: 2, answeredAt: at('02-03') }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'ces', score: 3, answeredAt: at('02-04') }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'ces', score: 4, answeredAt: at('03-03') }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'ces', score: 5, answeredAt: at('03-04') }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'ces', score: 5, answeredAt: at('03-05') }),
  makeAnswer({ ...tp('pay', 'purchase'), kind: 'ces', score: 7, answeredAt: at('03-06') }),
  // help: CES (7-point) 3, 4 before; 6, 7, 6 after
  makeAnswer({ ...tp('help', 'support'), kind: 'ces', score: 3, answeredAt: at('02-05') }),
  makeAnswer({ ...tp('help', 'support'), kind: 'ces', score: 4, answeredAt: at('02-06'), comment: 'Took ages' }),
  makeAnswer({ ...tp('help', 'support'), kind: 'ces', score: 6, answeredAt: at('03-07') }),
  makeAnswer({ ...tp('help', 'support'), kind: 'ces', score: 7, answeredAt: at('03-08') }),
  makeAnswer({ ...tp('help', 'support'), kind: 'ces', score: 6, answeredAt: at('03-09'), comment: 'Quick now' }),
  // Not in the config: a stage of its own, after the configured ones.
  makeAnswer({ ...tp('newsletter', 'retention'), kind: 'nps', score: 10, answeredAt: at('01-15') }),
  // Another site.
  makeAnswer({ touchpoint: 'pay', stage: 'purchase', site: 'other', kind: 'nps', score: 0, answeredAt: at('02-15') }),
];

const scores = (touchpoint: string, kind: string, filter: (a: any) => boolean = () => true) =>
  DATA.filter((a) => a.touchpoint === touchpoint && a.kind === kind && a.site === 'shop' && filter(a)).map((a) => a.score as number);
const before = (a: any) => a.answeredAt < '2026-03-01';
const after = (a: any) => a.answeredAt >= '2026-03-01';
const emotionAnswers = (filter: (a: any) => boolean = () => true) =>
  DATA.filter((a) => a.touchpoint === 'landing' && filter(a)).map((a) => ({ score: a.score as number, emotions: a.emotions as string[] }));

describe('GET /api/report', () => {
  let collector: Collector;
  let base: string;
  const report = async (query = '') => {
    const res = await get(base, `/api/report${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const touchpoint = (r: any, id: string) => r.stages.flatMap((s: any) => s.touchpoints).find((t: any) => t.touchpoint === id);

  beforeAll(async () => {
    collector = await startCollector({ readToken: TOKEN, siteConfigs: [CONFIG], rateLimit: false, log: () => {} });
    base = collector.url;
    expect((await post(base, { answers: DATA })).body).toEqual({ accepted: DATA.length, duplicates: 0 });
  }, BOOT_TIMEOUT);
  afterAll(() => collector?.close());

  it('lists stages in the config order, then stages first seen in answers; configured touchpoints without answers too', async () => {
    const r = await report('?site=shop');
    expect(r.stages.map((s: any) => s.stage)).toEqual(['browse', 'purchase', 'support', 'retention']);
    expect(r.stages[0].touchpoints.map((t: any) => t.touchpoint)).toEqual(['landing', 'wishlist']);
    const wishlist = touchpoint(r, 'wishlist');
    expect(wishlist).toMatchObject({ answers: 0, configured: true, asks: ['nps'], nps: { n: 0, score: null } });
    expect(touchpoint(r, 'newsletter')).toMatchObject({ configured: false, stage: 'retention', asks: ['nps'], answers: 1 });
    expect(r.sites).toEqual(['other', 'shop']);
    expect(r.stored).toBe(DATA.length);
    expect(r.query).toEqual({ from: null, to: null, site: 'shop', compareAt: null });
  });

  it('computes NPS, CES and NEV per touchpoint exactly as the metric functions do', async () => {
    const r = await report('?site=shop');
    const pay = touchpoint(r, 'pay');
    expect(pay.nps).toEqual(nps(scores('pay', 'nps')));
    // The config says pay's CES is 5-point: the 7 is excluded and counted, never clamped.
    expect(pay.ces).toEqual({
      scale: 5,
      ...ces(
        scores('pay', 'ces', (a) => a.score <= 5),
        5,
      ),
    });
    expect(pay.cesScaleSource).toBe('config');
    expect(pay.excluded).toEqual({ nps: 0, ces: 1, nev: 0 });
    expect(pay.answers).toBe(14);
    expect(pay.responses).toBe(13);

    const help = touchpoint(r, 'help');
    expect(help.ces).toEqual({ scale: 7, ...ces(scores('help', 'ces'), 7) });
    expect(help.cesScaleSource).toBe('config');

    const landing = touchpoint(r, 'landing');
    expect(landing.nev).toEqual(nev(emotionAnswers()));
    expect(landing.nev.score).toBeCloseTo(0);
    expect(landing.emotions).toEqual([
      { word: 'happy', count: 1, valence: 1 },
      { word: 'hurried', count: 1, valence: -1 },
      { word: 'pleased', count: 1, valence: 1 },
      { word: 'stressed', count: 1, valence: -1 },
      { word: 'valued', count: 1, valence: 1 },
    ]);
    expect(landing.distribution.feeling).toEqual([0, 0, 1, 0, 0, 1, 0, 1, 1, 0]);
    expect(pay.distribution.nps).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 1, 2, 1]);
    expect(pay.distribution.ces).toEqual([0, 1, 1, 1, 2]);
  });

  it('pools a stage, and leaves CES out of a total that mixes 5- and 7-point scales', async () => {
    const r = await report('?site=shop');
    const purchase = r.stages.find((s: any) => s.stage === 'purchase');
    expect(purchase.summary.nps).toEqual(nps(scores('pay', 'nps')));
    expect(purchase.summary.ces.scale).toBe(5);
    expect(r.overall.ces).toBeNull();
    expect(r.overall.nps).toEqual(nps([...scores('pay', 'nps'), ...scores('newsletter', 'nps')]));
    expect(r.overall.answers).toBe(DATA.length - 1);
  });

  it('takes the CES scale from the query over the config', async () => {
    const r = await report('?site=shop&cesScale=pay:7');
    const pay = touchpoint(r, 'pay');
    expect(pay.ces).toEqual({ scale: 7, ...ces(scores('pay', 'ces'), 7) });
    expect(pay.cesScaleSource).toBe('query');
    expect(pay.excluded.ces).toBe(0);
    expect(r.overall.ces.scale).toBe(7);

    const all5 = await report('?site=shop&cesScale=5');
    expect(touchpoint(all5, 'help').ces).toEqual({ scale: 5, ...ces([3, 4], 5) });
    expect(touchpoint(all5, 'help').excluded.ces).toBe(3);
  });

  it('compares before and after compareAt with compare(): delta, interval, whether it excludes zero', async () => {
    const r = await report('?site=shop&compareAt=2026-03-01');
    const pay = touchpoint(r, 'pay');
    const npsCmp = compare(scores('pay', 'nps', before), scores('pay', 'nps', after), 'nps');
    expect(pay.compare.nps).toEqual({
      before: { n: 3, value: npsCmp.before.score, ci95: npsCmp.before.ci95 },
      after: { n: 4, value: npsCmp.after.score, ci95: npsCmp.after.ci95 },
      delta: npsCmp.delta,
      ci95: npsCmp.ci95,
      excludesZero: npsCmp.excludesZero,
      verdict: 'no clear change',
    });
    expect(pay.compare.answers).toEqual({ before: 6, after: 8 });

    const help = touchpoint(r, 'help');
    const cesCmp = compare([3, 4], [6, 7, 6], 'ces', 7);
    expect(help.compare.ces.delta).toBeCloseTo(cesCmp.delta!);
    expect(help.compare.ces.ci95).toEqual(cesCmp.ci95);
    expect(help.compare.ces.excludesZero).toBe(cesCmp.excludesZero);
    // 3, 4 → 6, 7, 6: mean 3.5 → 6.3333, delta 2.8333. SE before = √(.5 + ½ × 2.5² + ½ × 3.5²) / 2 = √9.75 / 2
    // = 1.5612; after = √(.6667 + ½ × 5.3333² + ½ × .6667²) / 3 = √15.1111 / 3 = 1.2958;
    // 2.8333 ± 1.96 × √(1.5612² + 1.2958²) = 2.8333 ± 3.9767 → [−1.1433, 6.81 → 6, the most a 1..7 mean
    // can change]: two and three answers cannot tell.
    expect(help.compare.ces.ci95[0]).toBeCloseTo(-1.1433, 3);
    expect(help.compare.ces.ci95[1]).toBe(6);
    expect(help.compare.ces.excludesZero).toBe(false);
    expect(help.compare.ces.verdict).toBe('no clear change');
    expect(help.compare.distribution.before.ces).toEqual([0, 0, 1, 1, 0, 0, 0]);
    expect(help.compare.distribution.after.ces).toEqual([0, 0, 0, 0, 0, 2, 1]);

    const landing = touchpoint(r, 'landing');
    const nevCmp = compare(emotionAnswers(before), emotionAnswers(after), 'nev');
    expect(landing.compare.nev.delta).toBe(nevCmp.delta);
    expect(landing.compare.nev.ci95).toEqual(nevCmp.ci95);

    // A side with fewer than two answers has no interval, and says so.
    const newsletter = touchpoint(r, 'newsletter');
    expect(newsletter.compare.nps).toMatchObject({ ci95: null, excludesZero: false, verdict: 'not enough answers' });
    expect(r.query.compareAt).toBe('2026-03-01T00:00:00.000Z');
  });

  it('lists recent comments newest first, with the score they go with', async () => {
    const r = await report('?site=shop');
    const pay = touchpoint(r, 'pay');
    expect(pay.comments.map((c: any) => [c.comment, c.kind, c.score, c.scoreKind])).toEqual([
      ['=HYPERLINK("http://x")', 'nps', 3, 'nps'],
      ['Too slow', 'comment', 6, 'nps'],
      ['Easy', 'nps', 10, 'nps'],
    ]);
    expect(r.overall.comments.map((c: any) => c.comment)).toEqual(['Quick now', '=HYPERLINK("http://x")', 'Took ages', 'Too slow', 'Easy']);
    expect(r.overall.comments.every((c: any) => c.seeded === false)).toBe(true);
  });

  it('filters by answered date (a `to` day is inclusive) and by site', async () => {
    const march = await report('?site=shop&from=2026-03-01&to=2026-03-05');
    expect(march.overall.answers).toBe(
      DATA.filter((a) => a.site === 'shop' && (a.answeredAt as string) >= '2026-03-01' && (a.answeredAt as string) < '2026-03-06').length,
    );
    expect(march.range).toEqual({ first: at('03-01', '00:00:00'), last: at('03-05') });
    expect(march.query).toMatchObject({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-06T00:00:00.000Z' });

    const precise = await report('?from=2026-03-01T00:00:01Z&to=2026-03-02T12:00:00%2B00:00');
    expect(precise.overall.answers).toBe(0);

    const other = await report('?site=other');
    expect(other.overall.answers).toBe(1);
    expect(other.overall.nps.score).toBe(-100);
    // The config is for site "shop": another site's journey follows its answers.
    expect(other.stages.map((s: any) => s.stage)).toEqual(['purchase']);

    const everything = await report();
    expect(everything.overall.answers).toBe(DATA.length);
    expect(touchpoint(everything, 'pay').nps.n).toBe(8);
  });

  it('says so when nothing matches', async () => {
    const r = await report('?from=2020-01-01&to=2020-01-31');
    expect(r.overall.answers).toBe(0);
    expect(r.range).toBeNull();
    expect(r.stored).toBe(DATA.length);
    expect(r.overall.nps).toEqual(nps([]));
  });

  it.each([
    ['?from=yesterday', /from: "yesterday" is not a date/],
    ['?from=2026-02-30', /from: "2026-02-30" is not a date/],
    ['?compareAt=2026-03-01T10:00', /compareAt: .* with Z or an offset/],
    ['?from=2026-03-02&to=2026-03-01', /from must be before to/],
    ['?compareat=2026-03-01', /unknown parameter "compareat"/],
    ['?site=a&site=b', /"site" given more than once/],
    ['?cesScale=6', /cesScale: "6" is not 5, 7/],
    ['?cesScale=pay:10', /cesScale/],
  ])('refuses %s with 400 and a message', async (query, message) => {
    const res = await get(base, `/api/report${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });
});

describe('GET /api/report without a journey config', () => {
  let collector: Collector;

  beforeAll(async () => {
    collector = await startCollector({ readToken: TOKEN, siteConfigs: [], rateLimit: false, log: () => {} });
  }, BOOT_TIMEOUT);
  afterAll(() => collector?.close());

  it('reports nothing yet on an empty store', async () => {
    const r = (await get(collector.url, '/api/report')).body;
    expect(r).toMatchObject({ stored: 0, stages: [], range: null, seeded: { answers: 0, changeAt: null } });
    expect(r.overall.answers).toBe(0);
  });

  it('orders stages and touchpoints by when they were first answered, not when they were received', async () => {
    await post(collector.url, {
      answers: [
        makeAnswer({ touchpoint: 'b', stage: 'later', answeredAt: at('05-02') }),
        makeAnswer({ touchpoint: 'a', stage: 'first', answeredAt: at('05-01') }),
        makeAnswer({ touchpoint: 'c', stage: 'later', answeredAt: at('05-03') }),
        makeAnswer({ touchpoint: 'd', stage: undefined, answeredAt: at('05-04') }),
      ],
    });
    const r = (await get(collector.url, '/api/report')).body;
    expect(r.stages.map((s: any) => [s.stage, s.touchpoints.map((t: any) => t.touchpoint)])).toEqual([
      ['first', ['a']],
      ['later', ['b', 'c']],
      ['(no stage)', ['d']],
    ]);
  });
});

// GET /api/report on a small fixed data set, checked against the package's metric functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../server/collector';
import { ces, compare, MAX_BUCKETS, nev, nps } from '../../src/metrics';
import type { Answer, Impression } from '../../src/answer';
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
    // No impressions here (an older widget): every answered showing counts as shown, and says so.
    expect(pay).toMatchObject({ shown: 13, answered: 13, dismissed: 0, withoutImpression: 13, responseRate: { n: 13, rate: 1 } });

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
    // Three and four answers: the interval is there, but below MIN_ANSWERS a side says it is too few.
    expect(pay.compare.nps).toEqual({
      before: { n: 3, value: npsCmp.before.score, ci95: npsCmp.before.ci95, enough: false },
      after: { n: 4, value: npsCmp.after.score, ci95: npsCmp.after.ci95, enough: false },
      delta: npsCmp.delta,
      ci95: npsCmp.ci95,
      excludesZero: npsCmp.excludesZero,
      verdict: 'not enough answers',
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
    // can change]: two and three answers cannot tell, and are too few to be reported as a change.
    expect(help.compare.ces.ci95[0]).toBeCloseTo(-1.1433, 3);
    expect(help.compare.ces.ci95[1]).toBe(6);
    expect(help.compare.ces.excludesZero).toBe(false);
    expect(help.compare.ces.verdict).toBe('not enough answers');
    expect(help.compare.distribution.before.ces).toEqual([0, 0, 1, 1, 0, 0, 0]);
    expect(help.compare.distribution.after.ces).toEqual([0, 0, 0, 0, 0, 2, 1]);

    const landing = touchpoint(r, 'landing');
    const nevCmp = compare(emotionAnswers(before), emotionAnswers(after), 'nev');
    expect(landing.compare.nev.delta).toBe(nevCmp.delta);
    expect(landing.compare.nev.ci95).toEqual(nevCmp.ci95);

    // A side without answers has no interval, and says so.
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

describe('GET /api/report: showings, response rates, trends and word rates', () => {
  const SITE = 'rates';
  const config = {
    site: SITE,
    touchpoints: [
      { id: 'pay', stage: 'purchase', prompts: ['nps'], on: { event: 'paid' } },
      { id: 'feel', stage: 'browse', prompts: ['emotion'], on: { url: '/' } },
      { id: 'help', stage: 'support', prompts: [{ kind: 'ces', scale: 5 }], on: { event: 'closed' } },
    ],
  };
  const answers: Answer[] = [];
  const impressions: Impression[] = [];
  const stages: Record<string, string> = { pay: 'purchase', feel: 'browse', help: 'support' };
  const kinds: Record<string, 'nps' | 'emotion' | 'ces'> = { pay: 'nps', feel: 'emotion', help: 'ces' };

  /** One showing: a 'shown' impression (unless `impression: false`), an answer if scored, a 'dismissed' if asked. */
  function showing(
    touchpoint: string,
    day: string,
    {
      score,
      dismissed = false,
      impression = true,
      emotions = [],
      offered,
    }: Partial<Answer> & { dismissed?: boolean; impression?: boolean } = {},
  ) {
    const responseId = crypto.randomUUID();
    const where = { responseId, touchpoint, stage: stages[touchpoint], site: SITE };
    const record = (event: 'shown' | 'dismissed', time: string): Impression => ({
      id: crypto.randomUUID(),
      ...where,
      event,
      at: at(day, time),
      v: 1,
    });
    if (impression) impressions.push(record('shown', '11:59:00'));
    if (score !== undefined) answers.push(makeAnswer({ ...where, kind: kinds[touchpoint], score, emotions, offered, answeredAt: at(day) }));
    if (dismissed) impressions.push(record('dismissed', '12:01:00'));
  }

  // pay, 12 showings: on 03-02 five answered (one sent without its impression, as an older widget
  // does; one dismissed after its answer), on 03-03 three dismissed and two left open, on 03-04 two answered.
  [10, 9, 3, 10].forEach((score) => showing('pay', '03-02', { score, dismissed: score === 3 }));
  showing('pay', '03-02', { score: 8, impression: false });
  for (let i = 0; i < 5; i += 1) showing('pay', '03-03', { dismissed: i < 3 });
  [6, 7].forEach((score) => showing('pay', '03-04', { score }));
  // help, 40 showings: 2 of 20 answered in February (one a day from 02-02), 12 of 20 in March (from 03-02).
  for (let i = 0; i < 20; i += 1) showing('help', `02-${String(i + 2).padStart(2, '0')}`, i < 2 ? { score: 2 } : { dismissed: true });
  for (let i = 0; i < 20; i += 1) showing('help', `03-${String(i + 2).padStart(2, '0')}`, i < 12 ? { score: 4 } : {});
  // feel: words chosen from the words offered; one answer (an older widget) records no offer.
  showing('feel', '03-02', { score: 9, emotions: ['happy'], offered: ['happy', 'pleased', 'stressed', 'valued'] });
  showing('feel', '03-02', { score: 5, emotions: [], offered: ['happy', 'stressed', 'irritated', 'valued'] });
  showing('feel', '03-02', { score: 6, emotions: ['happy', 'stressed'], offered: ['happy', 'stressed', 'trusting', 'safe'] });
  showing('feel', '03-02', { score: 8, emotions: ['valued'] });
  /** Written around the API (whose schema refuses it): a chosen word its offer does not list. */
  const inconsistent = makeAnswer({
    touchpoint: 'feel',
    stage: 'browse',
    site: SITE,
    kind: 'emotion',
    score: 7,
    emotions: ['happy'],
    offered: ['stressed'],
    answeredAt: at('03-02'),
  });

  let collector: Collector;
  const report = async (query = '') => {
    const res = await get(collector.url, `/api/report?site=${SITE}${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const touchpoint = (r: any, id: string) => r.stages.flatMap((s: any) => s.touchpoints).find((t: any) => t.touchpoint === id);

  beforeAll(async () => {
    collector = await startCollector({ readToken: TOKEN, siteConfigs: [config], rateLimit: false, log: () => {} });
    expect((await post(collector.url, { answers })).status).toBe(200);
    expect((await post(collector.url, { impressions })).body).toEqual({ accepted: impressions.length, duplicates: 0 });
    await collector.db.insertAnswers([inconsistent]);
  }, BOOT_TIMEOUT);
  afterAll(() => collector?.close());

  it('counts showings, answered and dismissed ones, and the response rate with its Wilson interval', async () => {
    const pay = touchpoint(await report(), 'pay');
    // 12 showings (11 with an impression, 1 known from its answer); 7 answered; 3 dismissed without
    // an answer (the one dismissed after answering is answered). Wilson for 7 of 12: p = 0.5833,
    // z²/n = 3.8416/12 = 0.3201; centre (0.5833 + 0.1601) / 1.3201 = 0.5631; half-width
    // 1.96/1.3201 × √(0.5833 × 0.4167 / 12 + 3.8416/576) = 1.4847 × 0.1641 = 0.2436 → 0.3195 to 0.8067.
    expect(pay).toMatchObject({ shown: 12, answered: 7, dismissed: 3, withoutImpression: 1 });
    expect(pay.responseRate.n).toBe(12);
    expect(pay.responseRate.rate).toBeCloseTo(7 / 12, 10);
    expect(pay.responseRate.ci95[0]).toBeCloseTo(0.3195, 4);
    expect(pay.responseRate.ci95[1]).toBeCloseTo(0.8067, 4);
    expect(pay.responseRate.enough).toBe(true);

    const r = await report();
    expect(touchpoint(r, 'help')).toMatchObject({ shown: 40, answered: 14, dismissed: 18, withoutImpression: 0 });
    // feel: four showings with impressions, and the row written around the API, known from its answer only.
    expect(touchpoint(r, 'feel')).toMatchObject({ shown: 5, answered: 5, dismissed: 0, withoutImpression: 1 });
    expect(r.stages.find((s: any) => s.stage === 'support').summary).toMatchObject({ shown: 40, answered: 14, dismissed: 18 });
    expect(r.overall).toMatchObject({ shown: 57, answered: 26, dismissed: 21, withoutImpression: 2 });
    expect(r.overall.responseRate.rate).toBeCloseTo(26 / 57, 10);

    // A date range counts the showings whose records fall in it: 03-03 holds pay's five unanswered ones.
    const one = touchpoint(await report('&from=2026-03-03&to=2026-03-03'), 'pay');
    expect(one).toMatchObject({ shown: 5, answered: 0, dismissed: 3, responseRate: { n: 5, rate: 0, enough: true } });
    // Below MIN_ANSWERS showings the rate is there, and too few.
    expect(touchpoint(await report('&from=2026-03-04&to=2026-03-04'), 'pay').responseRate).toMatchObject({ n: 2, rate: 1, enough: false });
  });

  it('warns when the response rate changed between before and after, with Newcombe’s interval for the difference', async () => {
    const help = touchpoint(await report('&compareAt=2026-03-01'), 'help');
    // Before: 2 of 20, Wilson 0.0279 to 0.3010. After: 12 of 20, Wilson 0.3866 to 0.7812. Difference
    // 0.6 − 0.1 = 0.5; lower 0.5 − √((0.6 − 0.3866)² + (0.3010 − 0.1)²) = 0.5 − 0.2932 = 0.2068; upper
    // 0.5 + √((0.7812 − 0.6)² + (0.1 − 0.0279)²) = 0.5 + 0.1950 = 0.6950. Zero is outside: a change.
    const rate = help.compare.responseRate;
    expect(rate.before).toMatchObject({ shown: 20, answered: 2, dismissed: 18, responseRate: { n: 20, rate: 0.1 } });
    expect(rate.after).toMatchObject({ shown: 20, answered: 12, dismissed: 0, responseRate: { n: 20, rate: 0.6 } });
    expect(rate.before.responseRate.ci95[1]).toBeCloseTo(0.301, 3);
    expect(rate.delta).toBeCloseTo(0.5, 10);
    expect(rate.ci95[0]).toBeCloseTo(0.2068, 4);
    expect(rate.ci95[1]).toBeCloseTo(0.695, 4);
    expect(rate).toMatchObject({ excludesZero: true, enough: true, changed: true });
    expect(rate.warning).toBe('The response rate changed from 10% to 60%: the after figures may come from different people.');

    // pay has no showings before the date: nothing to compare, and no warning.
    const pay = touchpoint(await report('&compareAt=2026-03-01'), 'pay');
    expect(pay.compare.responseRate).toMatchObject({
      delta: null,
      ci95: null,
      excludesZero: false,
      enough: false,
      changed: false,
      warning: null,
    });
    // A date between pay's showings: 5 of 5, then 2 of 7; too clear a drop to miss.
    const split = touchpoint(await report('&compareAt=2026-03-03'), 'pay').compare.responseRate;
    expect([split.before.shown, split.before.answered, split.after.shown, split.after.answered]).toEqual([5, 5, 7, 2]);
    expect(split.changed).toBe(true);
  });

  it('trends each touchpoint by day over a short range: n, score, 95% interval and enough per bucket', async () => {
    const r = await report('&from=2026-03-02&to=2026-03-04');
    expect(r.trend).toEqual({ unit: 'day', from: '2026-03-02T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z', clipped: false });
    const pay = touchpoint(r, 'pay');
    expect(pay.trend.map((b: any) => b.label)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(Object.keys(pay.trend[0]).sort()).toEqual(['label', 'nps', 'start']);
    // 03-02: 10, 9, 3, 10, 8: 3 promoters and 1 detractor of 5, NPS +40. Rocks' interval:
    // P̃ = 3.75/8 = 0.46875, D̃ = 1.75/8 = 0.21875, centre 100 × 0.25 = +25, SE 100 × √((0.6875 − 0.0625)/8)
    // = 27.95, so 25 ± 1.96 × 27.95 = −29.78 to +79.78.
    const [first, empty, last] = pay.trend;
    expect(first.start).toBe('2026-03-02T00:00:00.000Z');
    expect(first.nps).toMatchObject({ n: 5, value: 40, enough: true });
    expect(first.nps.ci95[0]).toBeCloseTo(-29.78, 2);
    expect(first.nps.ci95[1]).toBeCloseTo(79.78, 2);
    expect(empty.nps).toEqual({ n: 0, value: null, ci95: null, enough: false });
    // 03-04: 6 and 7, −50 from two answers, too few.
    expect(last.nps).toMatchObject({ n: 2, value: -50, enough: false });
    expect(last.nps).toEqual(headline(nps([6, 7])));
    // Each touchpoint trends what it asks: help's 5-point CES, feel's NEV.
    const help = touchpoint(r, 'help');
    expect(help.trend[0].ces).toEqual(headline(ces([4], 5)));
    expect(help.trend[0]).not.toHaveProperty('nps');
    expect(touchpoint(r, 'feel').trend[0].nev.n).toBe(5);
  });

  it('trends by ISO week over the answers’ own range when no dates are given, and keeps a long range bounded', async () => {
    const r = await report();
    // Answers from Monday 2026-02-02 (ISO week 6) to Friday 03-13 (week 11): 40 days, so weeks.
    expect(r.trend).toMatchObject({ unit: 'week', from: '2026-02-02T00:00:00.000Z', to: '2026-03-14T00:00:00.000Z' });
    const help = touchpoint(r, 'help');
    expect(help.trend.map((b: any) => b.label)).toEqual(['2026-W06', '2026-W07', '2026-W08', '2026-W09', '2026-W10', '2026-W11']);
    // Week 6: the two February answers (02-02, 02-03); week 10: 03-02 to 03-08, seven answers.
    expect(help.trend.map((b: any) => b.ces.n)).toEqual([2, 0, 0, 0, 7, 5]);

    const long = await report('&from=2000-01-03&to=2026-03-14');
    expect(long.trend).toMatchObject({ unit: 'week', clipped: true, to: '2026-03-15T00:00:00.000Z' });
    const pay = touchpoint(long, 'pay');
    expect(pay.trend).toHaveLength(MAX_BUCKETS);
    expect(pay.trend.at(-1).label).toBe('2026-W11');
    expect(pay.trend.reduce((sum: number, b: any) => sum + b.nps.n, 0)).toBe(7);
  });

  it('ranks words by choice rate (chosen ÷ offered), leaving out answers without a usable offer, and says how many', async () => {
    const feel = touchpoint(await report(), 'feel');
    // happy: offered 3 times, chosen twice; stressed: offered 3, chosen once; valued: offered twice
    // (the answer that chose it records no offer); the rest offered once, never chosen.
    expect(feel.wordRates.answers).toBe(3);
    expect(feel.wordRates.withoutOffered).toBe(2);
    expect(feel.wordRates.words.map((w: any) => [w.word, w.chosen, w.offered, w.valence])).toEqual([
      ['happy', 2, 3, 1],
      ['stressed', 1, 3, -1],
      ['valued', 0, 2, 1],
      ['irritated', 0, 1, -1],
      ['pleased', 0, 1, 1],
      ['safe', 0, 1, 1],
      ['trusting', 0, 1, 1],
    ]);
    // Wilson for 2 of 3: centre (0.6667 + 3.8416/6) / (1 + 3.8416/3) = 0.5731, half-width
    // 1.96/2.2805 × √(0.2222/3 + 3.8416/36) = 0.8595 × 0.4252 = 0.3654 → 0.2077 to 0.9385; offered under 5 times: too few.
    const happy = feel.wordRates.words[0];
    expect(happy.rate).toBeCloseTo(2 / 3, 10);
    expect(happy.ci95[0]).toBeCloseTo(0.2077, 4);
    expect(happy.ci95[1]).toBeCloseTo(0.9385, 4);
    expect(happy.enough).toBe(false);
    // NEV still counts every answer, the inconsistent one too: valences +1, 0, 0, +1, +1.
    expect(feel.nev).toMatchObject({ n: 5, score: 60 });
    expect(feel.nev.wordRates).toEqual(feel.wordRates.words.map(({ valence: _, ...w }: any) => w));
  });
});

/** What the report keeps of a metric result for a trend bucket or one side of a comparison. */
function headline(r: { n: number; ci95: unknown; enough: boolean } & ({ score: number | null } | { mean: number | null })) {
  return { n: r.n, value: 'mean' in r ? r.mean : r.score, ci95: r.ci95, enough: r.enough };
}

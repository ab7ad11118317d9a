// `npm run demo:seed`: fills the demo's store with a synthetic, clearly labelled customer journey
// so the dashboard means something before anyone has answered a survey.
//
// The story: a shop with the four touchpoints of demo/shop/moodpoint.json (browse → cart →
// purchase → support) over eight weeks. Halfway through, a checkout redesign ships (one-page
// checkout, saved addresses, an order-status page). After it, customers who contact support find
// their issue much easier to resolve (CES at support_closed rises by about 1.8 points) and the
// purchase touchpoint's NPS and feeling improve; browsing and the cart stay as they were. The
// calmer order page also gets more of its customers to answer (the response rate at
// checkout_complete rises from about 30% to 60%), so the dashboard warns that its after figures
// may come from different people; support's response rate stays where it was.
//
// Every showing also makes the impressions the widget sends (SPEC §5): one 'shown', and a
// 'dismissed' for most of those closed without an answer. Emotion answers record the words
// offered, drawn by the widget's own `offerWords` (from the build), so the choice rates on the
// dashboard are what real answers would give.
//
// Deterministic: the same seed gives the same answers and impressions, ids included (derived from
// the seed and the record's position), so running it again stores nothing twice. `--end` only
// moves the dates. Every answer is stored with `seeded = true`, and its context names the scenario.
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The seed the npm script uses. */
export const DEFAULT_SEED = 26;
export const SCENARIO = 'checkout-redesign';
const DAY_MS = 24 * 60 * 60 * 1000;
const WEEKS = 8;
const ORIGIN = 'https://demo-shop.example';

/** Share of showings that get an answer, per touchpoint, before and after the change. */
const RESPONSE_RATES = {
  product_browse: [0.22, 0.22],
  cart_exit: [0.12, 0.12],
  checkout_complete: [0.3, 0.6],
  support_closed: [0.42, 0.42],
};
/** Share of unanswered showings closed with the close button or Escape (the rest are left open until the page goes). */
const DISMISS_RATE = 0.75;
/** Share of emotion answers whose person opened "More words", so every word of the pool was offered. */
const MORE_WORDS_RATE = 0.2;

/** mulberry32: small, fast, and the same numbers on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A name-based UUID (version 5 layout, SHA-1) for the n-th thing this seed makes. */
export function seededUuid(seed, name) {
  const h = createHash('sha1').update(`moodpoint-seed:${seed}:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Start of today in UTC: the default end of the generated weeks. */
export function todayUtc(now = new Date()) {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const NEGATIVE = ['irritated', 'hurried', 'neglected', 'unhappy', 'unsatisfied', 'stressed', 'disappointed', 'frustrated'];
const POSITIVE = [
  'interested',
  'energetic',
  'stimulated',
  'exploratory',
  'indulgent',
  'trusting',
  'valued',
  'cared_for',
  'safe',
  'focused',
  'happy',
  'pleased',
];
const CART_WORDS = ['hurried', 'stressed', 'frustrated', 'unsatisfied', 'interested', 'trusting', 'focused', 'pleased'];
/** Every word key in the widget's order (negative first), the order `offered` lists them in. */
const EMOTION_ORDER = [...NEGATIVE, ...POSITIVE];
/** How much more often a word is picked when it is offered (1 for any word not listed), so choice rates differ. */
const APPEAL = { happy: 3, pleased: 3, trusting: 2, valued: 2, interested: 2, frustrated: 3, stressed: 2, hurried: 2 };

/** The widget's modules, from the build: this script runs under plain node. */
const fromBuild = (load) =>
  load().catch((err) => {
    throw new Error(`the build is missing (${err.code ?? err.message}): run \`npm run build\` first (npm start does it)`);
  });

const COMMENTS = {
  purchase: {
    before: {
      detractor: [
        'Checkout asked for my address twice.',
        'The payment page timed out and I had to start over.',
        'Shipping costs only showed up at the very last step.',
        'Too many steps just to pay for a mug.',
        'Had to create an account before I could pay. Annoying.',
      ],
      passive: ['Fine, but checkout felt slow.', 'Nice products; the checkout could be simpler.', 'OK. Delivery options were confusing.'],
      promoter: ['Great plants, will order again.', 'Lovely notebook, fast delivery.'],
    },
    after: {
      detractor: ['Delivery was late, checkout itself was fine.', 'Wanted PayPal.'],
      passive: ['Quick checkout, products a bit pricey.', 'Good, but the coupon field is hidden.'],
      promoter: [
        'New checkout is so much quicker!',
        'Loved that it remembered my address.',
        'One page and done. Nice.',
        'Easiest online order I have placed this year.',
        'Clear delivery dates before paying, thank you.',
      ],
    },
  },
  support: {
    before: {
      low: [
        'Took three emails to find out where my order was.',
        'I had to explain the problem twice.',
        'Could not change my delivery address myself.',
        'Waited two days for an answer about a failed payment.',
      ],
      mid: ['Got there in the end.', 'Helpful, but it took a while.'],
      high: ['Friendly and quick.'],
    },
    after: {
      low: ['Still had to wait for a refund.'],
      mid: ['Fine, the chat was a bit slow to start.'],
      high: [
        'Fixed in one chat.',
        'The order status page answered it before I asked.',
        'Changed my address myself in two clicks.',
        'Quick and friendly, thanks!',
        'Sorted in five minutes.',
      ],
    },
  },
};

/**
 * Generates the synthetic journey: answers (SPEC §4) and impressions (SPEC §5), each oldest
 * first. No I/O beyond loading the widget's word draw from the build.
 * @param {{ seed?: number, end?: Date | string, site?: string }} [options]
 *   `end`: the day after the last generated day (default: today, UTC).
 */
export async function generateJourney({ seed = DEFAULT_SEED, end = todayUtc(), site = 'demo-shop' } = {}) {
  const { offerWords } = await fromBuild(() => import('../dist/steps.js'));
  const endMs = todayUtc(new Date(end)).getTime();
  const days = WEEKS * 7;
  const startMs = endMs - days * DAY_MS;
  const changeMs = startMs + (days / 2) * DAY_MS;
  const changeAt = new Date(changeMs).toISOString();
  const rand = prng(seed);
  // Offers and showings draw from streams of their own, so the answers' scores stay those of `rand`.
  const offerRand = prng(seed ^ 0x0ffe4ed);
  const showRand = prng(seed ^ 0x5e0e5);
  let counter = 0;
  let impressionCount = 0;
  let showingCount = 0;
  const answers = [];
  const impressions = [];

  const uniform = (lo, hi) => lo + (hi - lo) * rand();
  const chance = (p) => rand() < p;
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const score = (mean, sd, lo, hi) => Math.min(hi, Math.max(lo, Math.round(mean + sd * normal())));
  const count = (mean) => {
    // Poisson by inversion: small daily volumes that vary like real ones.
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = rand(); p > limit; p *= rand()) k += 1;
    return k;
  };
  const locale = () => (chance(0.8) ? 'en' : pick(['de', 'fr', 'es', 'hu']));
  const context = (extra = {}) => ({ synthetic: true, seedScenario: SCENARIO, seedChangeAt: changeAt, ...extra });

  /** One word of `list`, the appealing ones more often; one draw of `rand`, as `pick` takes. */
  const pickWord = (list) => {
    const weights = list.map((w) => APPEAL[w] ?? 1);
    let r = rand() * weights.reduce((sum, w) => sum + w, 0);
    return list.find((_, i) => (r -= weights[i]) < 0) ?? list.at(-1);
  };

  /** Up to three of the offered words, mostly on the side of the feeling score. */
  function words(feeling, offered) {
    const n = pick([0, 1, 1, 2, 2, 3]);
    const pos = offered.filter((w) => POSITIVE.includes(w));
    const neg = offered.filter((w) => NEGATIVE.includes(w));
    const positiveShare = feeling >= 8 ? 0.9 : feeling >= 6 ? 0.65 : feeling >= 5 ? 0.4 : 0.1;
    const out = [];
    for (let i = 0; i < n; i += 1) {
      const word = pickWord(chance(positiveShare) ? pos : neg);
      if (!out.includes(word)) out.push(word);
    }
    return out;
  }

  /** What an emotion answer holds: the words the widget offered this showing, and those picked from them. */
  function feelingWords(feeling, pool = EMOTION_ORDER) {
    const offer = offerWords(feeling, pool, offerRand);
    const offered = offerRand() < MORE_WORDS_RATE ? EMOTION_ORDER.filter((w) => offer.all.includes(w)) : offer.offered;
    return { emotions: words(feeling, offered), offered };
  }

  /** The impressions of one showing: 'shown' when it opened, and 'dismissed' if it was closed unanswered. */
  function showing(touchpoint, stage, responseId, shownAt, { answered }) {
    const impression = (event, at) => {
      impressionCount += 1;
      impressions.push({
        id: seededUuid(seed, `impression:${impressionCount}`),
        responseId,
        touchpoint,
        stage,
        site,
        event,
        at: new Date(at).toISOString(),
        v: 1,
      });
    };
    impression('shown', shownAt);
    if (!answered && showRand() < DISMISS_RATE) impression('dismissed', shownAt + Math.floor(4_000 + 36_000 * showRand()));
  }
  /** A shown impression a few seconds to a minute before its first answer. */
  const shownBefore = (answer) =>
    showing(answer.touchpoint, answer.stage, answer.responseId, Date.parse(answer.answeredAt) - Math.floor(5_000 + 55_000 * showRand()), {
      answered: true,
    });
  /** Showings nobody answered, about as many as the touchpoint's response rate leaves beside `answeredMean` answered ones. */
  function unanswered(touchpoint, stage, answeredMean, dayMs, after) {
    const rate = RESPONSE_RATES[touchpoint][after ? 1 : 0];
    const limit = Math.exp(-(answeredMean * (1 - rate)) / rate);
    for (let p = showRand(); p > limit; p *= showRand()) {
      showingCount += 1;
      const at = dayMs + Math.floor((7 + 16 * showRand()) * 3600_000);
      showing(touchpoint, stage, seededUuid(seed, `showing:${showingCount}`), at, { answered: false });
    }
  }

  function base(touchpoint, stage, page, at, responseId) {
    counter += 1;
    return {
      id: seededUuid(seed, `answer:${counter}`),
      responseId,
      touchpoint,
      stage,
      site,
      locale: locale(),
      url: `${ORIGIN}/${page}`,
      answeredAt: new Date(at).toISOString(),
      v: 1,
    };
  }
  const newResponse = () => seededUuid(seed, `response:${counter + 1}`);
  /** A follow-up usually travels with its answer; sometimes (page hidden mid-prompt) as its own record (SPEC §4). */
  function addComment(scored, text, at) {
    if (chance(0.85)) {
      scored.comment = text;
      return;
    }
    const page = scored.url.slice(ORIGIN.length + 1);
    answers.push({
      ...base(scored.touchpoint, scored.stage, page, at + 20_000, scored.responseId),
      kind: 'comment',
      emotions: [],
      comment: text,
      context: scored.context,
    });
  }

  for (let day = 0; day < days; day += 1) {
    const dayMs = startMs + day * DAY_MS;
    const after = dayMs >= changeMs;
    const growth = 1 + day / days / 2;
    const moment = () => dayMs + Math.floor(uniform(7, 23) * 3600_000);

    for (let i = count(1.5 * growth); i > 0; i -= 1) {
      const feeling = score(7.1, 1.8, 1, 10);
      const answer = {
        ...base('product_browse', 'browse', 'product.html', moment(), newResponse()),
        kind: 'emotion',
        score: feeling,
        ...feelingWords(feeling),
        context: context(),
      };
      answers.push(answer);
      shownBefore(answer);
    }
    unanswered('product_browse', 'browse', 1.5 * growth, dayMs, after);
    for (let i = count(1.0 * growth); i > 0; i -= 1) {
      const feeling = score(5.9, 2.1, 1, 10);
      const answer = {
        ...base('cart_exit', 'cart', 'cart.html', moment(), newResponse()),
        kind: 'emotion',
        score: feeling,
        ...feelingWords(feeling, CART_WORDS),
        context: context(),
      };
      answers.push(answer);
      shownBefore(answer);
    }
    unanswered('cart_exit', 'cart', 1.0 * growth, dayMs, after);
    for (let i = count(1.3 * growth); i > 0; i -= 1) {
      const at = moment();
      const responseId = newResponse();
      const orderValue = Math.round(uniform(12, 140));
      const r = rand();
      const [promoter, passive] = after ? [0.47, 0.35] : [0.3, 0.34];
      const npsScore = r < promoter ? pick([9, 10]) : r < promoter + passive ? pick([7, 8]) : pick([2, 3, 4, 5, 5, 6, 6, 6]);
      const band = npsScore >= 9 ? 'promoter' : npsScore >= 7 ? 'passive' : 'detractor';
      const nps = {
        ...base('checkout_complete', 'purchase', 'thanks.html', at, responseId),
        kind: 'nps',
        score: npsScore,
        emotions: [],
        context: context({ orderValue }),
      };
      answers.push(nps);
      shownBefore(nps);
      if (chance(0.5)) addComment(nps, pick(COMMENTS.purchase[after ? 'after' : 'before'][band]), at);
      if (chance(0.85)) {
        const feeling = score((after ? 7.4 : 5.9) + (npsScore - 7) * 0.3, 1.5, 1, 10);
        answers.push({
          ...base('checkout_complete', 'purchase', 'thanks.html', at + 15_000, responseId),
          kind: 'emotion',
          score: feeling,
          ...feelingWords(feeling),
          context: context({ orderValue }),
        });
      }
    }
    unanswered('checkout_complete', 'purchase', 1.3 * growth, dayMs, after);
    for (let i = count(1.4 * growth); i > 0; i -= 1) {
      const at = moment();
      const effort = after ? score(5.7, 1.1, 1, 7) : score(3.9, 1.5, 1, 7);
      const ces = {
        ...base('support_closed', 'support', 'support.html', at, newResponse()),
        kind: 'ces',
        score: effort,
        emotions: [],
        context: context(),
      };
      answers.push(ces);
      shownBefore(ces);
      if (chance(0.6))
        addComment(ces, pick(COMMENTS.support[after ? 'after' : 'before'][effort <= 3 ? 'low' : effort <= 5 ? 'mid' : 'high']), at);
    }
    unanswered('support_closed', 'support', 1.4 * growth, dayMs, after);
  }
  const byTime = (time) => (a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : a.id < b.id ? -1 : 1);
  answers.sort(byTime((a) => a.answeredAt));
  impressions.sort(byTime((i) => i.at));
  return {
    answers,
    impressions,
    changeAt,
    from: new Date(startMs).toISOString(),
    to: new Date(endMs).toISOString(),
    seed,
    scenario: SCENARIO,
  };
}

/**
 * Stores the synthetic journey: answers marked `seeded`, answers and impressions received when
 * they happened. Idempotent.
 * @param {{ insertAnswers: Function, insertImpressions: Function }} store from `openStore()` (or a collector's `db`)
 * @param {Parameters<typeof generateJourney>[0]} [options]
 */
export async function seedStore(store, options) {
  const journey = await generateJourney(options);
  const { inserted, duplicates } = await store.insertAnswers(journey.answers, { seeded: true, backdate: true });
  const shown = await store.insertImpressions(journey.impressions, { backdate: true });
  return { ...journey, inserted, duplicates, impressionsInserted: shown.inserted };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (flag === '--seed' && /^\d+$/.test(value ?? '')) out.seed = Number(value);
    else if (flag === '--end' && /^\d{4}-\d{2}-\d{2}$/.test(value ?? '')) out.end = new Date(`${value}T00:00:00Z`);
    else {
      console.error(`usage: npm run demo:seed [-- --seed N] [--end YYYY-MM-DD]\n  unknown or bad argument: ${argv[i]}`);
      process.exit(2);
    }
  }
  return out;
}

/** The demo's data directory, the one `npm start` serves (gitignored). */
const DEMO_DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { acquireDataDir, describeDatabase, openStore, pgliteDirOf } = await fromBuild(() => import('../dist/server/index.js'));
  const databaseUrl = process.env.DATABASE_URL || undefined;
  let release = () => {};
  if (!databaseUrl) {
    try {
      release = acquireDataDir(DEMO_DATA_DIR, { purpose: 'npm run demo:seed' });
    } catch (err) {
      console.error(err.message);
      process.exit(1);
    }
  }
  const pgliteDir = databaseUrl ? undefined : pgliteDirOf(DEMO_DATA_DIR);
  const where = describeDatabase({ pgliteDir, databaseUrl });
  const store = await openStore({ pgliteDir, databaseUrl });
  try {
    const result = await seedStore(store, options);
    const day = (iso) => iso.slice(0, 10);
    console.log(
      `Seeded ${result.answers.length} synthetic answers (${result.inserted} new, ${result.duplicates} already there) and ` +
        `${result.impressions.length} impressions (${result.impressionsInserted} new) into ${where}\n` +
        `  journey: browse → cart → purchase → support, ${day(result.from)} to ${day(new Date(Date.parse(result.to) - DAY_MS).toISOString())}\n` +
        `  change:  checkout redesign on ${day(result.changeAt)}; support effort (CES) improves after it, and more customers answer at checkout\n` +
        `Start the demo (npm start), open the dashboard link it prints and compare before/after at ${day(result.changeAt)}.`,
    );
  } finally {
    await store.close();
    release();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(`demo:seed failed: ${err.message}`);
    process.exit(1);
  });
}

import { readFileSync } from 'node:fs';

const dist = (file) => readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
const template = readFileSync(new URL('./page.html', import.meta.url), 'utf8');

/** JSON for an inline `<script>`: `<` escaped, so no value can close the element. */
const inline = (value) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * moodpoint's three touchpoints: an event (the one `trigger()` shows), a URL that is not this
 * page's, and exit intent. None shows a prompt by itself.
 */
const touchpoints = (extra = {}) => [
  { id: 'purchase', stage: 'purchase', prompts: ['nps'], on: { event: 'order_confirmed' }, ...extra },
  { id: 'support', stage: 'support', prompts: ['ces'], on: { url: '/help/*' }, ...extra },
  { id: 'leaving', stage: 'browse', prompts: ['emotion'], on: { exitIntent: true }, ...extra },
];

const TOKEN = 'phc_bench';
const SINCE = '2026-01-01T00:00:00Z';
/**
 * PostHog's counterpart: three popover surveys, on an event, on a URL that is not this page's,
 * and on an element the page does not have. None shows by itself.
 */
const SURVEYS = [
  {
    id: 'purchase',
    name: 'After purchase',
    type: 'popover',
    questions: [{ type: 'rating', question: 'How likely are you to recommend us?', scale: 10, display: 'number' }],
    conditions: { events: { values: [{ name: 'order_confirmed' }] } },
    start_date: SINCE,
    end_date: null,
  },
  {
    id: 'support',
    name: 'Help pages',
    type: 'popover',
    questions: [{ type: 'rating', question: 'How easy was it?', scale: 7, display: 'number' }],
    conditions: { url: '/help/', urlMatchType: 'icontains' },
    start_date: SINCE,
    end_date: null,
  },
  {
    id: 'leaving',
    name: 'Leaving',
    type: 'popover',
    questions: [{ type: 'open', question: 'How did this page make you feel?' }],
    conditions: { selector: '#leave' },
    start_date: SINCE,
    end_date: null,
  },
];
/** What PostHog's servers would answer: the project's remote config (surveys on) as its script, and the surveys. */
const REMOTE_CONFIG = {
  token: TOKEN,
  surveys: true,
  hasFeatureFlags: false,
  sessionRecording: false,
  heatmaps: false,
  supportedCompression: [],
};
/** PostHog for surveys only, as a real visitor sees it (its bot filter would treat headless Chromium as a bot). */
const POSTHOG_OPTIONS = `{
  api_host: location.origin, persistence: 'localStorage', autocapture: false, capture_pageview: false,
  capture_pageleave: false, disable_session_recording: true, opt_out_useragent_filter: true`;

/**
 * The pages of the load measurements: each script under test on the bench page, and the
 * baselines it is measured against (script time = with − without). A page sets `bench.ready`
 * to what "ready" means for its script; `files` are the URLs whose long tasks are the script's.
 *
 * @param {{ endpoint: string, peers: Awaited<ReturnType<typeof import('./peers.mjs').loadPeers>> }} options
 */
export function loadCases({ endpoint, peers }) {
  const surveysPath = `/static/${peers.posthog.version}/surveys.js`;
  const moodpoint = '<script src="/lib/moodpoint.min.js"></script>';
  const init = (config, opts) => `${moodpoint}
<script>bench.start(moodpoint('init', ${inline({ endpoint, site: 'bench', locale: 'en', ...config })})${opts ? `, ${inline(opts)}` : ''});</script>`;
  const posthog = (surveys) => `<script src="/lib/posthog/array.js"></script>
<script>
bench.ready = new Promise((resolve, reject) => {
  posthog.init('${TOKEN}', ${POSTHOG_OPTIONS}${surveys ? '' : ', disable_surveys: true, loaded: () => resolve()'} });
  ${surveys ? `posthog.onSurveysLoaded(() => posthog.getSurveys((s) => (s.length === ${SURVEYS.length} ? resolve() : reject(new Error(\`PostHog has \${s.length} surveys\`)))));` : ''}
});
</script>`;
  const sentry = (feedback, initialised) => `<script src="/lib/sentry/sdk.js"></script>
${feedback ? '<script src="/lib/sentry/feedback.js"></script>' : ''}
${
  initialised
    ? `<script>
Sentry.init({ dsn: \`http://bench@\${location.host}/1\`, defaultIntegrations: false, integrations: [${feedback ? 'SentryFeedback.feedbackSyncIntegration()' : ''}] });
${feedback ? "bench.ready = new Promise((resolve, reject) => addEventListener('load', () => (document.getElementById('sentry-feedback') ? resolve() : reject(new Error('no Sentry feedback button')))));" : ''}
</script>`
    : ''
}`;
  const MOODPOINT = ['/lib/moodpoint.'];
  const POSTHOG = ['/lib/posthog/', surveysPath, `/array/${TOKEN}/`];
  const SENTRY = ['/lib/sentry/'];
  const cases = [
    { key: 'blank', baseline: true, name: 'the bench page alone', head: '' },
    { key: 'posthog-core', baseline: true, name: 'PostHog core, surveys off', head: posthog(false), files: POSTHOG },
    { key: 'sentry-sdk', baseline: true, name: 'Sentry SDK', head: sentry(false, false), files: SENTRY },
    { key: 'sentry-sdk-init', baseline: true, name: 'Sentry SDK, init', head: sentry(false, true), files: SENTRY },
    { key: 'mp-loader', product: 'moodpoint', against: 'blank', name: 'moodpoint loader, no config', head: moodpoint, files: MOODPOINT },
    {
      key: 'mp-init',
      product: 'moodpoint',
      against: 'blank',
      name: 'moodpoint load + init, 3 touchpoints',
      head: init({ touchpoints: touchpoints() }, { prompt: true }),
      files: MOODPOINT,
    },
    {
      key: 'mp-sampled',
      product: 'moodpoint',
      against: 'blank',
      name: 'moodpoint load + init, 3 touchpoints at `sample: 0`',
      head: init({ touchpoints: touchpoints({ sample: 0 }) }),
      files: MOODPOINT,
    },
    {
      key: 'ph-surveys',
      product: 'posthog',
      against: 'blank',
      name: `PostHog surveys.js ${peers.posthog.version}, no config`,
      head: `<script src="${surveysPath}"></script>`,
      files: POSTHOG,
    },
    {
      key: 'ph-init',
      product: 'posthog',
      against: 'posthog-core',
      name: 'PostHog load + init, 3 surveys (less its core)',
      head: posthog(true),
      files: POSTHOG,
    },
    {
      key: 'sentry-feedback',
      product: 'sentry',
      against: 'sentry-sdk',
      name: `Sentry feedback ${peers.sentry.version}, no init (less its SDK)`,
      head: sentry(true, false),
      files: SENTRY,
    },
    {
      key: 'sentry-init',
      product: 'sentry',
      against: 'sentry-sdk-init',
      name: 'Sentry load + init with feedback (less SDK init)',
      head: sentry(true, true),
      files: SENTRY,
    },
  ];
  const outbox = init({ outbox: { maxAnswers: 100_000 }, touchpoints: [touchpoints()[0]] });

  const script = (body) => ({ type: 'text/javascript; charset=utf-8', body, cache: true });
  const json = (value) => ({ type: 'application/json', body: JSON.stringify(value) });
  const page = (head) => ({ type: 'text/html; charset=utf-8', body: template.replace('<!-- scripts -->', head) });
  const routes = new Map([
    ['/page.js', { ...script(readFileSync(new URL('./page.js', import.meta.url), 'utf8')), cache: false }],
    ['/lib/moodpoint.min.js', script(dist('moodpoint.min.js'))],
    ['/lib/moodpoint.prompt.js', script(dist('moodpoint.prompt.js'))],
    ['/lib/posthog/array.js', script(peers.posthog.core)],
    [surveysPath, script(peers.posthog.surveys)],
    [
      `/array/${TOKEN}/config.js`,
      script(`(window._POSTHOG_REMOTE_CONFIG ||= {})[${inline(TOKEN)}] = { config: ${inline(REMOTE_CONFIG)}, siteApps: [] };`),
    ],
    [`/array/${TOKEN}/config`, json(REMOTE_CONFIG)],
    ['/api/surveys/', json({ surveys: SURVEYS })],
    ['/lib/sentry/sdk.js', script(peers.sentry.sdk)],
    ['/lib/sentry/feedback.js', script(peers.sentry.feedback)],
    ['/case/outbox', page(outbox)],
    ...cases.map((c) => [`/case/${c.key}`, page(c.head)]),
  ]);
  return { cases, routes };
}

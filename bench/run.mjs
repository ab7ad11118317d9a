/**
 * `npm run bench`: what moodpoint costs a page, next to PostHog's surveys and Sentry's feedback,
 * in headless Chromium on 127.0.0.1. Prints the tables and writes them to bench/results.md.
 *
 *   node bench/run.mjs [--runs N]
 *
 * N (default 20) loads of each page at 1× CPU and `trigger()` measurements of each kind; N/2 loads
 * at 4× CPU throttling; N/4 outbox runs of each size, then one profiled 10,000-answer flush.
 * Needs dist/ built and the peers installed in bench/node_modules (the npm script does both).
 * Any measurement that goes wrong (a page error, a page that never settles, an answer the
 * collector did not store) ends the run with an error and a non-zero exit code.
 */
import os from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { loadCases } from './cases.mjs';
import { startBenchCollector } from './pageCollector.mjs';
import { measureLoad } from './loads.mjs';
import { measureOutbox, profileOutbox } from './outbox.mjs';
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../tools/chromium.mjs';
import { loadPeers } from './peers.mjs';
import { report, sizes } from './report.mjs';
import { serveSite } from './site.mjs';
import { measureTrigger } from './trigger.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs takes a whole number of at least 1, not ${values.runs}`);

const THROTTLE = 4;
const OUTBOX_SIZES = [1_000, 10_000];
const TRIGGER_MODES = ['cold', 'cached', 'warm', 'idle'];
const runs = { loads: RUNS, throttled: Math.ceil(RUNS / 2), trigger: RUNS, outbox: Math.ceil(RUNS / 4) };

const dist = (file) => readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
/** Each run starts at another item, so none always meets a warmer or colder machine. */
const rotate = (items, by) => items.map((_, i) => items[(by + i) % items.length]);
const progress = (line) => process.stderr.write(`${line}\n`);

/** The machine, for the report; the load average says whether other work shared the CPUs. */
function machine(browserVersion, loadBefore) {
  const model = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  return {
    cpus: os.availableParallelism(),
    model: model.trim(),
    chromium: browserVersion,
    node: process.version,
    date: new Date()
      .toISOString()
      .replace(/:\d\d\.\d+Z$/, ' UTC')
      .replace('T', ' '),
    load: [loadBefore, os.loadavg()[0]],
  };
}

const peers = await loadPeers();
const loader = dist('moodpoint.min.js');
const prompt = dist('moodpoint.prompt.js');
const files = {
  loader: sizes(loader),
  prompt: sizes(prompt),
  surveys: sizes(peers.posthog.surveys),
  posthogCore: sizes(peers.posthog.core),
  feedback: sizes(peers.sentry.feedback),
  sentryBundle: sizes(peers.sentry.bundle),
};

// The pages need the collector's URL, the collector the pages' origin: the routes are filled in once both run.
const routes = new Map();
const site = await serveSite(routes);
const collector = await startBenchCollector(site.origin);
const { cases, routes: caseRoutes } = loadCases({ endpoint: collector.endpoint, peers });
for (const [path, route] of caseRoutes) routes.set(path, route);

const loadBefore = os.loadavg()[0];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  const loads = {};
  for (const throttle of [1, THROTTLE]) {
    const results = (loads[throttle] = Object.fromEntries(cases.map((c) => [c.key, []])));
    const count = throttle === 1 ? runs.loads : runs.throttled;
    for (let run = 0; run < count; run++) {
      progress(`loads at ${throttle}× CPU: run ${run + 1}/${count}`);
      for (const c of rotate(cases, run)) results[c.key].push(await measureLoad(browser, `${site.origin}/case/${c.key}`, { throttle }));
    }
  }
  const trigger = Object.fromEntries(TRIGGER_MODES.map((m) => [m, []]));
  for (let run = 0; run < runs.trigger; run++) {
    progress(`trigger: run ${run + 1}/${runs.trigger}`);
    for (const mode of rotate(TRIGGER_MODES, run)) trigger[mode].push(await measureTrigger(browser, site.origin, mode));
  }
  const outbox = Object.fromEntries(OUTBOX_SIZES.map((c) => [c, []]));
  for (let run = 0; run < runs.outbox; run++) {
    progress(`outbox: run ${run + 1}/${runs.outbox}`);
    for (const count of OUTBOX_SIZES) outbox[count].push(await measureOutbox(browser, site.origin, collector, count));
  }
  progress('outbox: profiling a flush of 10,000');
  const profile = await profileOutbox(browser, site.origin, collector, OUTBOX_SIZES.at(-1), {
    '/lib/moodpoint.min.js': loader,
    '/lib/moodpoint.prompt.js': prompt,
  });
  if (site.misses.size) throw new Error(`the bench pages asked for what the bench does not serve: ${[...site.misses].join(', ')}`);
  const markdown = report({
    info: machine(browser.version(), loadBefore),
    runs,
    throttle: THROTTLE,
    files,
    peers,
    cases,
    loads,
    trigger,
    outbox,
    profile,
  });
  writeFileSync(new URL('./results.md', import.meta.url), markdown);
  console.log(markdown);
} finally {
  await browser.close();
  await collector.close();
  await site.close();
}

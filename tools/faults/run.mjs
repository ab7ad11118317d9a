#!/usr/bin/env node
// npm run faults -- --runs N [--seed S] [--run I] [--workers W] [--json FILE]
//
// N randomized runs against the minified build (run `npm run build` first) and the reference
// collector, each mixing the faults of tools/faults/runner.mjs in a seeded random order. Prints
// the seed (replay the same fault sequences with --seed; one run with --run I) and a table.
// Exit code 1 when any answer was lost or stored twice (or another promise of SPEC §5 broke:
// altered fields, a dead letter stored or resent, a page error, an unhandled rejection).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatTable, runSeries, violations } from './runner.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    seed: { type: 'string' },
    run: { type: 'string' },
    workers: { type: 'string', default: '1' },
    json: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? (Math.random() * 2 ** 32) >>> 0 : Number(values.seed) >>> 0;
const only = values.run === undefined ? undefined : Number(values.run);
if (!Number.isInteger(runs) || runs < 1 || !Number.isFinite(seed) || (only !== undefined && !Number.isInteger(only))) {
  console.error('usage: npm run faults -- --runs N [--seed S] [--run I] [--workers W] [--json FILE]');
  process.exit(2);
}

console.log(`moodpoint fault runs: ${only === undefined ? `${runs} runs` : `run ${only}`}, seed ${seed}`);
console.log(`replay: npm run faults -- --runs ${runs} --seed ${seed}${only === undefined ? '' : ` --run ${only}`}\n`);

const summary = await runSeries({
  runs,
  seed,
  only,
  workers: Number(values.workers),
  onRun(r, done, total) {
    if (values.quiet && !violations(r).length && !r.errors.length) return;
    const bad = violations(r);
    console.log(
      `${String(done).padStart(String(total).length)}/${total} run ${r.index} [${r.steps.join(', ')}] ` +
        `submitted ${r.submitted} stored ${r.stored} dead ${r.deadLettered} lost ${r.lost} dup-stored ${r.duplicatesStored} dup-wire ${r.wireDuplicates}` +
        `${r.stalled ? ` stalled ${r.stalled}` : ''}${r.slow ? ` slow ${r.slow}` : ''} ${(r.ms / 1000).toFixed(1)} s${bad.length ? `  FAIL: ${bad.join(', ')}` : ''}`,
    );
    for (const e of r.errors) console.log(`    runner error: ${e}`);
    if (bad.length && process.env.FAULTS_DEBUG) {
      console.log(r.consoleLines.map((l) => `      ${l}`).join('\n'));
      console.log(`      lost: ${r.lostIds.join(' ')}`);
      console.log(r.posts.map((p) => `      post ${p.at % 1e6} ${p.outcome} ${p.ids?.map((id) => id.slice(0, 8)).join(' ')}`).join('\n'));
    }
    if (bad.length)
      console.log(`    replay: npm run faults -- --runs ${runs} --seed ${seed} --run ${r.index}; notes: ${r.notes.join('; ')}`);
  },
});

console.log(`\n${formatTable(summary)}`);
if (summary.failedRuns.length) {
  console.log('\nfailing runs:');
  for (const f of summary.failedRuns) console.log(`  run ${f.index} [${f.steps.join(', ')}]: ${f.why.join(', ')}`);
}
if (values.json) writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
process.exit(summary.lost > 0 || summary.duplicatesStored > 0 || summary.failedRuns.length > 0 ? 1 : 0);

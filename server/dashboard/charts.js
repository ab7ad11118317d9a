// Charts: Chart.js (bar charts only, bundled by the build) for the score distributions and the
// emotion-word ranking, each with a data table for people who do not see the canvas; small
// inline SVG for the interval whiskers, which Chart.js has no chart type for.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { h } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import htm from 'htm';
import { METRICS } from './format.js';

const html = htm.bind(h);

const COLORS = {
  before: '#9ca3af',
  after: '#4f46e5',
  count: '#4f46e5',
  detractor: '#dc2626',
  passive: '#d97706',
  promoter: '#059669',
  positive: '#059669',
  negative: '#dc2626',
};

let registered = false;

/** Registers the parts of Chart.js the dashboard uses, on first use rather than at import. */
function chartLib() {
  if (!registered) {
    Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
    registered = true;
  }
  return Chart;
}

/**
 * A Chart.js bar chart kept in step with its props: created once, then updated in place, so a
 * refresh every few seconds neither flickers nor leaks canvases. No animation: the numbers are
 * what matters, and reduced-motion users get nothing to switch off.
 */
export function BarChart({ labels, datasets, horizontal = false, label, height = 220, yTitle, max }) {
  const canvas = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const Bar = chartLib();
    chart.current = new Bar(canvas.current, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        plugins: { legend: { display: false }, tooltip: { enabled: true } },
        scales: {},
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [horizontal]);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.labels = labels;
    c.data.datasets = datasets.map((d) => ({ borderWidth: 0, borderRadius: 3, ...d }));
    const valueAxis = { beginAtZero: true, ticks: { precision: 0 }, max, title: { display: !!yTitle, text: yTitle } };
    c.options.scales = horizontal ? { x: valueAxis, y: { grid: { display: false } } } : { y: valueAxis, x: { grid: { display: false } } };
    c.options.plugins.legend.display = datasets.length > 1;
    c.update('none');
  }, [labels, datasets, horizontal, yTitle, max]);
  return html`<div class="chart" style=${`height:${height}px`}>
    <canvas ref=${canvas} role="img" aria-label=${label}></canvas>
  </div>`;
}

/** A table of the same numbers as a chart, behind a disclosure so it does not crowd the page. */
export function DataTable({ caption, head, rows }) {
  return html`<details class="data-table">
    <summary>Table: ${caption}</summary>
    <table class="lines compact">
      <caption class="sr-only">
        ${caption}
      </caption>
      <thead>
        <tr>
          ${head.map((cell, i) => html`<th scope="col" class=${i ? 'num' : ''}>${cell}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr>
              ${row.map((cell, i) => (i ? html`<td class="num">${cell}</td>` : html`<th scope="row">${cell}</th>`))}
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;
}

const pct = (counts) => {
  const n = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (n ? Math.round((1000 * c) / n) / 10 : 0));
};

const SCALES = {
  nps: { title: 'NPS answers (0–10)', first: 0 },
  ces: { title: 'CES answers', first: 1 },
  feeling: { title: 'Feeling scores (1–10)', first: 1 },
};

/**
 * Distribution of one metric's scores: counts, or with a comparison the share of each score
 * before and after (different sample sizes make raw counts misleading).
 */
export function Distribution({ metric, distribution, compare, cesScale }) {
  const spec = SCALES[metric];
  const counts = distribution[metric];
  const labels = counts.map((_, i) => String(i + spec.first));
  const total = counts.reduce((s, c) => s + c, 0);
  const title = metric === 'ces' ? `${spec.title} (1–${cesScale ?? 7})` : spec.title;
  let datasets;
  let rows;
  let head;
  if (compare) {
    const before = compare.distribution.before[metric];
    const after = compare.distribution.after[metric];
    datasets = [
      { label: 'Before, % of answers', data: pct(before), backgroundColor: COLORS.before },
      { label: 'After, % of answers', data: pct(after), backgroundColor: COLORS.after },
    ];
    head = ['Score', 'Before', 'Before %', 'After', 'After %'];
    rows = labels.map((l, i) => [l, before[i], `${pct(before)[i]}%`, after[i], `${pct(after)[i]}%`]);
  } else {
    const colour = (i) => (metric === 'nps' ? (i <= 6 ? COLORS.detractor : i <= 8 ? COLORS.passive : COLORS.promoter) : COLORS.count);
    datasets = [{ label: 'Answers', data: counts, backgroundColor: counts.map((_, i) => colour(i)) }];
    head = ['Score', 'Answers'];
    rows = labels.map((l, i) => [l, counts[i]]);
  }
  const summary = compare
    ? `${title}: share of answers per score, before and after ${compare.at.slice(0, 10)}.`
    : `${title}: ${total} answers. ${labels.map((l, i) => `${l}: ${counts[i]}`).join(', ')}.`;
  return html`<figure class="dist" data-metric=${metric}>
    <figcaption>
      <strong>${title}</strong> <span class="muted">n = ${total}</span>
      ${metric === 'nps' && !compare ? html`<span class="legend"><i class="key det"></i>detractors 0–6 <i class="key pas"></i>passives 7–8 <i class="key pro"></i>promoters 9–10</span>` : null}
    </figcaption>
    ${
      total === 0
        ? html`<p class="muted">No ${metric === 'feeling' ? 'feeling' : METRICS[metric].label} answers here.</p>`
        : html` <${BarChart} labels=${labels} datasets=${datasets} label=${summary} yTitle=${compare ? '% of answers' : 'answers'} />
            <${DataTable} caption=${title} head=${head} rows=${rows} />`
    }
  </figure>`;
}

/** Emotion words, most chosen first, green for positive and red for negative, with (+)/(−) in the label too. */
export function EmotionRanking({ words }) {
  if (!words.length) return html`<p class="muted">No emotion words chosen here yet.</p>`;
  const labels = words.map((w) => `${w.word.replaceAll('_', ' ')} (${w.valence > 0 ? '+' : '−'})`);
  const datasets = [
    {
      label: 'Times chosen',
      data: words.map((w) => w.count),
      backgroundColor: words.map((w) => (w.valence > 0 ? COLORS.positive : COLORS.negative)),
    },
  ];
  const summary = `Emotion words, most chosen first: ${words.map((w) => `${w.word.replaceAll('_', ' ')} ${w.count}`).join(', ')}.`;
  return html`<div class="emotions">
    <${BarChart}
      labels=${labels}
      datasets=${datasets}
      horizontal=${true}
      label=${summary}
      height=${Math.max(120, 26 * words.length + 40)}
    />
    <${DataTable}
      caption="Emotion words"
      head=${['Word', 'Valence', 'Times chosen']}
      rows=${words.map((w) => [w.word.replaceAll('_', ' '), w.valence > 0 ? 'positive' : 'negative', w.count])}
    />
  </div>`;
}

/**
 * One metric's value and 95% interval on its whole scale: a line from the interval's ends with
 * caps, a dot at the value, a tick at the neutral point. Decorative: the same numbers are text beside it.
 */
export function Whisker({ metric, value, ci, min, max, variant = 'now' }) {
  const lo = min ?? METRICS[metric].min;
  const hi = max ?? METRICS[metric].max;
  const W = 150;
  const x = (v) => 6 + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (W - 12);
  const mid = metric === 'ces' ? (lo + hi) / 2 : 0;
  return html`<svg class=${`whisker ${variant}`} viewBox=${`0 0 ${W} 18`} width=${W} height="18" aria-hidden="true" focusable="false">
    <line class="axis" x1="6" x2=${W - 6} y1="9" y2="9" />
    <line class="zero" x1=${x(mid)} x2=${x(mid)} y1="3" y2="15" />
    ${
      ci
        ? html`<line class="ci" x1=${x(ci[0])} x2=${x(ci[1])} y1="9" y2="9" />
            <line class="ci" x1=${x(ci[0])} x2=${x(ci[0])} y1="4" y2="14" />
            <line class="ci" x1=${x(ci[1])} x2=${x(ci[1])} y1="4" y2="14" />`
        : null
    }
    ${value === null || value === undefined ? null : html`<circle class="dot" cx=${x(value)} cy="9" r="4.5" />`}
  </svg>`;
}

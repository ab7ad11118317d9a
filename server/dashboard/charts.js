// Charts: Chart.js (bundled by the build) for the score distributions, the emotion words' choice
// rates and the trends with their 95% bands, each with a data table for people who do not see
// the canvas; small inline SVG for the interval whiskers, which Chart.js has no chart type for.
// Colours come from the page's CSS custom properties, so the charts follow light and dark.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { METRICS, bucketLabel, metricValue, percent, wordLabel } from './format.js';

const html = htm.bind(h);

/** Chart colours by role, each a CSS custom property of dashboard.css (light and dark). */
const COLOR_VARS = {
  before: '--chart-before',
  after: '--chart-accent',
  count: '--chart-accent',
  band: '--chart-band',
  detractor: '--chart-bad',
  passive: '--chart-mid',
  promoter: '--chart-good',
  positive: '--chart-good',
  negative: '--chart-bad',
  text: '--muted',
  grid: '--line',
  marker: '--ink',
};

/** The chart colours the page's stylesheet gives for the current colour scheme. */
function palette() {
  const style = getComputedStyle(document.documentElement);
  return Object.fromEntries(Object.entries(COLOR_VARS).map(([role, name]) => [role, style.getPropertyValue(name).trim()]));
}

const DARK = '(prefers-color-scheme: dark)';

/** `'dark'` or `'light'`, updated when the system setting changes, so charts redraw in the new colours. */
function useScheme() {
  const [scheme, setScheme] = useState(() => (matchMedia(DARK).matches ? 'dark' : 'light'));
  useEffect(() => {
    const query = matchMedia(DARK);
    const onChange = () => setScheme(query.matches ? 'dark' : 'light');
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return scheme;
}

let registered = false;

/** Registers the parts of Chart.js the dashboard uses, on first use rather than at import. */
function chartLib() {
  if (!registered) {
    Chart.register(
      BarController,
      BarElement,
      LineController,
      LineElement,
      PointElement,
      Filler,
      CategoryScale,
      LinearScale,
      Tooltip,
      Legend,
    );
    registered = true;
  }
  return Chart;
}

/**
 * A Chart.js chart kept in step with its props: created once, then updated in place by
 * `configure(chart, colours)`, so a refresh every few seconds neither flickers nor leaks
 * canvases. No animation: the numbers are what matters, and reduced-motion users get nothing to
 * switch off.
 */
function useChart(type, configure, deps, plugins = []) {
  const canvas = useRef(null);
  const chart = useRef(null);
  const scheme = useScheme();
  useEffect(() => {
    if (!canvas.current) return undefined;
    const Lib = chartLib();
    chart.current = new Lib(canvas.current, {
      type,
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { enabled: true } },
        scales: {},
      },
      plugins,
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [type]);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    configure(c, palette());
    c.update('none');
  }, [...deps, scheme]);
  return canvas;
}

/** Axis colours for the scheme: ticks in the muted text colour, grid lines in the line colour. */
const axis = (colors, extra = {}) => ({
  ticks: { color: colors.text, ...extra.ticks },
  grid: { color: colors.grid, ...extra.grid },
  ...extra.rest,
});

/** A bar chart: `datasets` may name colours by role (`color`, or `colors` per bar) to follow the scheme. */
export function BarChart({ labels, datasets, horizontal = false, label, height = 220, yTitle, max, format }) {
  const canvas = useChart(
    'bar',
    (c, colors) => {
      c.options.indexAxis = horizontal ? 'y' : 'x';
      c.data.labels = labels;
      c.data.datasets = datasets.map(({ color, colors: perBar, ...d }) => ({
        borderWidth: 0,
        borderRadius: 3,
        backgroundColor: perBar ? perBar.map((role) => colors[role]) : colors[color ?? 'count'],
        ...d,
      }));
      const valueAxis = axis(colors, {
        ticks: { precision: 0, ...(format ? { callback: format } : {}) },
        rest: { beginAtZero: true, max, title: { display: !!yTitle, text: yTitle, color: colors.text } },
      });
      const categoryAxis = axis(colors, { grid: { display: false } });
      c.options.scales = horizontal ? { x: valueAxis, y: categoryAxis } : { y: valueAxis, x: categoryAxis };
      c.options.plugins.legend.display = datasets.length > 1;
      c.options.plugins.legend.labels = { color: colors.text };
    },
    [labels, datasets, horizontal, yTitle, max, format],
  );
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
      { label: 'Before, % of answers', data: pct(before), color: 'before' },
      { label: 'After, % of answers', data: pct(after), color: 'after' },
    ];
    head = ['Score', 'Before', 'Before %', 'After', 'After %'];
    rows = labels.map((l, i) => [l, before[i], `${pct(before)[i]}%`, after[i], `${pct(after)[i]}%`]);
  } else {
    const role = (i) => (metric === 'nps' ? (i <= 6 ? 'detractor' : i <= 8 ? 'passive' : 'promoter') : 'count');
    datasets = [{ label: 'Answers', data: counts, colors: counts.map((_, i) => role(i)) }];
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

const asPercent = (value) => `${value}%`;

/**
 * Emotion words by choice rate (chosen ÷ offered), best first: green for positive and red for
 * negative, with (+)/(−) in the label too. Words offered too few times to rate are listed in the
 * table but left off the chart. `rates` is a report group's `wordRates`.
 */
export function EmotionRanking({ rates }) {
  const left = rates.withoutOffered
    ? html`<p class="muted small" data-without-offered=${rates.withoutOffered}>
        ${rates.withoutOffered} ${rates.withoutOffered === 1 ? 'answer records' : 'answers record'} no offered words (an older widget, or no
        words shown) and ${rates.withoutOffered === 1 ? 'is' : 'are'} left out of the rates.
      </p>`
    : null;
  if (!rates.words.length)
    return html`<p class="muted">No emotion words offered here yet.</p>
      ${left}`;
  const rated = rates.words.filter((w) => w.enough);
  const name = (w) => `${wordLabel(w.word)} (${w.valence > 0 ? '+' : '−'})`;
  const interval = (w) => `${percent(w.ci95[0])}–${percent(w.ci95[1])}`;
  const summary = `Emotion words by choice rate, the share of showings offering a word in which it was chosen: ${
    rated.map((w) => `${wordLabel(w.word)} ${percent(w.rate)}`).join(', ') || 'no word offered five times yet'
  }.`;
  const datasets = [
    {
      label: 'Chosen when offered, %',
      data: rated.map((w) => Math.round(1000 * w.rate) / 10),
      colors: rated.map((w) => (w.valence > 0 ? 'positive' : 'negative')),
    },
  ];
  return html`<div class="emotions">
    <p class="muted small">
      Of the showings that offered a word, the share that chose it; words offered fewer than five times are only in the table.
    </p>
    ${
      rated.length
        ? html`<${BarChart}
            labels=${rated.map(name)}
            datasets=${datasets}
            horizontal=${true}
            label=${summary}
            max=${100}
            format=${asPercent}
            height=${Math.max(120, 26 * rated.length + 40)}
          />`
        : html`<p class="muted">Too few offers to rate any word yet.</p>`
    }
    <${DataTable}
      caption="Emotion words by choice rate"
      head=${['Word', 'Valence', 'Chosen', 'Offered', 'Rate', '95% CI']}
      rows=${rates.words.map((w) => [
        wordLabel(w.word),
        w.valence > 0 ? 'positive' : 'negative',
        w.chosen,
        w.offered,
        w.enough ? percent(w.rate) : 'too few offers',
        w.enough ? interval(w) : '–',
      ])}
    />
    ${left}
  </div>`;
}

/** Draws a dashed vertical line where the comparison date falls, labelled "change". */
const changeMarker = {
  id: 'changeMarker',
  afterDatasetsDraw(chart, _args, options) {
    if (options.index === undefined || options.index < 0) return;
    const x =
      chart.scales.x.getPixelForValue(options.index) - (chart.scales.x.getPixelForValue(1) - chart.scales.x.getPixelForValue(0)) / 2;
    const { top, bottom } = chart.chartArea;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = options.color;
    ctx.fillStyle = options.color;
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText('change', x + 4, top + 12);
    ctx.restore();
  },
};

/**
 * One metric's trend: the score per day or week as a line, its 95% interval as a filled band.
 * A bucket with too few answers is a gap, not a point; the table behind it says why.
 * `points` are the touchpoint's trend buckets (`start`, `label`, and the metric's n, value, ci95, enough).
 */
export function TrendChart({ metric, points, unit, title, min, max, compareAt }) {
  const spec = METRICS[metric];
  const lo = min ?? spec.min;
  const hi = max ?? spec.max;
  const labels = points.map((p) => bucketLabel(p.start));
  const shown = (p) => p[metric].enough;
  const changeIndex = compareAt ? points.findIndex((p) => p.start >= compareAt) : -1;
  const canvas = useChart(
    'line',
    (c, colors) => {
      c.data.labels = labels;
      const band = { pointRadius: 0, borderWidth: 0, spanGaps: false };
      c.data.datasets = [
        { ...band, label: 'lower', data: points.map((p) => (shown(p) ? p[metric].ci95[0] : null)), fill: false },
        {
          ...band,
          label: '95% interval',
          data: points.map((p) => (shown(p) ? p[metric].ci95[1] : null)),
          fill: '-1',
          backgroundColor: colors.band,
          borderColor: colors.band,
        },
        {
          label: spec.label,
          data: points.map((p) => (shown(p) ? p[metric].value : null)),
          borderColor: colors.after,
          backgroundColor: colors.after,
          borderWidth: 2,
          pointRadius: 3,
          spanGaps: false,
          fill: false,
        },
      ];
      c.options.scales = {
        x: axis(colors, { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true } }),
        y: axis(colors, { rest: { min: lo, max: hi } }),
      };
      c.options.plugins.legend = {
        display: true,
        labels: { color: colors.text, boxHeight: 8, filter: (item) => item.text !== 'lower' },
      };
      c.options.plugins.tooltip = {
        enabled: true,
        filter: (item) => item.datasetIndex === 2,
        callbacks: {
          afterLabel: (item) => {
            const p = points[item.dataIndex][metric];
            return `n ${p.n}, 95% CI ${metricValue(metric, p.ci95[0])} to ${metricValue(metric, p.ci95[1])}`;
          },
        },
      };
      c.options.plugins.changeMarker = { index: changeIndex, color: colors.marker };
    },
    [points, metric, unit, lo, hi, changeIndex],
    [changeMarker],
  );
  const enough = points.filter(shown);
  const last = enough.at(-1);
  const per = unit === 'week' ? 'week' : 'day';
  const summary = `${title}: ${spec.label} per ${per}, ${points.length} ${per}s, ${enough.length} with enough answers${
    last
      ? `; latest ${labels[points.indexOf(last)]}: ${metricValue(metric, last[metric].value)} (95% CI ${metricValue(metric, last[metric].ci95[0])} to ${metricValue(metric, last[metric].ci95[1])}, n ${last[metric].n})`
      : ''
  }.`;
  return html`<figure class="trend" data-metric=${metric}>
    <figcaption><strong>${title}</strong> <span class="muted">${spec.label} per ${per}, 95% band</span></figcaption>
    <div class="chart" style="height:220px">
      <canvas ref=${canvas} role="img" aria-label=${summary}></canvas>
    </div>
    <${DataTable}
      caption=${`${title}: ${spec.label} per ${per}`}
      head=${[unit === 'week' ? 'Week of' : 'Day', 'n', spec.label, '95% CI']}
      rows=${points.map((p, i) => {
        const m = p[metric];
        if (!m.n) return [labels[i], 0, 'no answers', '–'];
        if (!m.enough) return [labels[i], m.n, 'too few answers', '–'];
        return [labels[i], m.n, metricValue(metric, m.value), `${metricValue(metric, m.ci95[0])} to ${metricValue(metric, m.ci95[1])}`];
      })}
    />
  </figure>`;
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

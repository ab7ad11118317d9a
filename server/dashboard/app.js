// The journey dashboard: GET /api/report every few seconds, rendered with preact + htm (bundled
// into dist/dashboard by the build). Every number comes from the collector's report, which uses
// the package's metric functions. Answer text is untrusted; preact puts it in text nodes only.
// The collector's data needs its read token: asked for once, kept in sessionStorage for the tab.
import { h, render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { Distribution, EmotionRanking, TrendChart, Whisker } from './charts.js';
import {
  METRICS,
  clock,
  dateInput,
  day,
  intervalText,
  metricValue,
  percent,
  plural,
  rateText,
  scoreLabel,
  signed,
  verdictView,
  when,
  wordLabel,
} from './format.js';

const html = htm.bind(h);
const POLL_MS = 3000;
const FILTER_KEYS = ['from', 'to', 'site', 'compareAt'];
const TOKEN_KEY = 'moodpoint.readToken';

/** The token for this tab: from a `#token=` link (which is then taken out of the address bar), else from sessionStorage. */
function readToken() {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink) {
    sessionStorage.setItem(TOKEN_KEY, fromLink);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function saveToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A fetch with the read token; a 401 means the token is wrong or gone. */
async function authorised(url, token, signal) {
  const res = await fetch(url, { cache: 'no-store', signal, headers: { Authorization: `Bearer ${token}` } });
  if (res.status === 401) throw Object.assign(new Error('the collector refused the read token'), { unauthorised: true });
  return res;
}

/** Filters live in the address bar, so a view can be reloaded, bookmarked and shared. */
function readFilters() {
  const params = new URLSearchParams(location.search);
  const out = { from: '', to: '', site: '', compareAt: '', touchpoint: params.get('touchpoint') ?? '' };
  for (const key of FILTER_KEYS) out[key] = params.get(key) ?? '';
  return out;
}

function writeFilters(filters) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const search = params.toString();
  history.replaceState(null, '', search ? `?${search}` : location.pathname);
}

function reportUrl(filters) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  const search = params.toString();
  return `/api/report${search ? `?${search}` : ''}`;
}

/** Polls the report; pauses in a background tab and refreshes at once on return. */
function useReport(filters, token, onRefused) {
  const [state, setState] = useState({ report: null, error: null, updated: null });
  const url = reportUrl(filters);
  useEffect(() => {
    let timer = 0;
    let stopped = false;
    let controller;
    async function tick() {
      clearTimeout(timer);
      controller?.abort();
      controller = new AbortController();
      try {
        const res = await authorised(url, token, controller.signal);
        const body = await res.json().catch(() => ({}));
        if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
        if (!stopped) setState({ report: body, error: null, updated: new Date() });
      } catch (err) {
        if (err.name === 'AbortError' || stopped) return;
        if (err.unauthorised) {
          onRefused();
          return;
        }
        setState((s) => ({ ...s, error: err.message }));
      }
      if (!stopped && !document.hidden) timer = setTimeout(tick, POLL_MS);
    }
    const onVisible = () => !document.hidden && tick();
    document.addEventListener('visibilitychange', onVisible);
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [url, token, onRefused]);
  return state;
}

/** Downloads an export with the token (a plain link cannot send it) under the name the collector gives. */
async function download(event, token, onRefused) {
  event.preventDefault();
  const link = event.currentTarget;
  try {
    const res = await authorised(link.href, token);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'moodpoint-export';
    const href = URL.createObjectURL(await res.blob());
    const save = Object.assign(document.createElement('a'), { href, download: name });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
  } catch (err) {
    if (err.unauthorised) onRefused();
  }
}

/** Asks for the read token; the dashboard shows nothing of the collector's data without it. */
function TokenForm({ onToken, refused }) {
  const submit = (event) => {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get('token')?.toString().trim();
    if (value) onToken(value);
  };
  return html`<form class="panel token-form" aria-labelledby="token-title" onSubmit=${submit}>
    <h2 id="token-title">Read token</h2>
    <p>
      Answers are private: the dashboard needs the collector's read token. <code>moodpoint serve</code> prints it when it first starts (with
      a link that opens this page signed in); it is kept in the data directory's <code>read-token</code> file, or set as
      <code>MOODPOINT_READ_TOKEN</code>. It stays in this tab only.
    </p>
    ${refused ? html`<p class="token-error" role="alert">The collector refused that token. Check it and try again.</p>` : null}
    <label>Read token <input type="password" name="token" autocomplete="off" spellcheck="false" required /></label>
    <button type="submit" class="button">Open the dashboard</button>
  </form>`;
}

function Delta({ metric, c }) {
  const v = verdictView(c);
  const digits = METRICS[metric].digits;
  return html`<p
    class=${v.cls}
    data-metric=${metric}
    data-verdict=${c?.verdict ?? ''}
    data-excludes-zero=${c?.excludesZero ? 'true' : 'false'}
  >
    <span aria-hidden="true">${v.mark} </span>
    <span class="delta-value">Δ ${signed(c?.delta, digits)}</span>
    ${c?.ci95 ? html` <span class="delta-ci">(95% CI ${signed(c.ci95[0], digits)} to ${signed(c.ci95[1], digits)})</span>` : null}
    <span class="delta-word"> ${v.word}</span>
  </p>`;
}

/** Fewer answers than the report's threshold: the number is not shown, only that it is too few. */
const tooFew = (r) => !!r && r.n > 0 && !r.enough;
const TOO_FEW = 'too few answers';

/** One metric of a touchpoint: value, interval, n, whisker; with a comparison, before and after. */
function MetricRow({ metric, result, compare, scale }) {
  const spec = METRICS[metric];
  const value = result ? ('mean' in result ? result.mean : result.score) : null;
  const max = metric === 'ces' ? scale : undefined;
  const name = metric === 'ces' && scale === 5 ? 'CES (5-point)' : spec.label;
  if (compare) {
    return html`<div class="metric" data-metric=${metric}>
      <dt><abbr title=${spec.long}>${name}</abbr></dt>
      <dd>
        ${['before', 'after'].map((side) => {
          const s = compare[side];
          const few = tooFew(s);
          return html`<div class=${`side ${side}${few ? ' few' : ''}`}>
            <span class="side-label">${side}</span>
            <span class="value">${few ? '–' : metricValue(metric, s.value)}</span>
            ${few ? html`<span class="few-text">${TOO_FEW}</span>` : html`<${Whisker} metric=${metric} value=${s.value} ci=${s.ci95} max=${max} variant=${side} />`}
            <span class="n">n ${s.n}</span>
            ${few ? null : html`<span class="sr-only">, ${intervalText(metric, s.ci95)}</span>`}
          </div>`;
        })}
        <${Delta} metric=${metric} c=${compare} />
      </dd>
    </div>`;
  }
  const few = tooFew(result);
  return html`<div class="metric" data-metric=${metric} data-enough=${result?.enough ? 'true' : 'false'}>
    <dt><abbr title=${spec.long}>${name}</abbr></dt>
    <dd>
      <div class="side now">
        <span class="value">${few ? '–' : metricValue(metric, value)}</span>
        ${few ? html`<span class="few-text">${TOO_FEW}</span>` : html`<${Whisker} metric=${metric} value=${value} ci=${result?.ci95} max=${max} />`}
        <span class="n">n ${result?.n ?? 0}</span>
      </div>
      <span class="ci-text">
        ${!result?.n ? 'no answers yet' : few ? `fewer than 5 answers: no number yet` : intervalText(metric, result.ci95)}
      </span>
    </dd>
  </div>`;
}

/**
 * A group's showings: how often it was shown, answered and dismissed, and its response rate with
 * its interval; with a comparison, the rate before and after and a warning when it changed.
 */
function Showings({ group, change }) {
  const rr = group.responseRate;
  const counts = html`<p class="showing-counts">${`shown ${group.shown} · answered ${group.answered} · dismissed ${group.dismissed}`}</p>`;
  const unrecorded = group.withoutImpression
    ? html`<p class="muted small" data-without-impression=${group.withoutImpression}>
        ${plural(group.withoutImpression, 'showing')} known only from an answer or a dismissal (no “shown” record: an older widget?); the
        rate may read high.
      </p>`
    : null;
  if (change) {
    const side = (s) => (s.responseRate.enough ? percent(s.responseRate.rate) : s.shown ? 'too few' : '–');
    return html`<div class="showings" data-rate-changed=${change.changed ? 'true' : 'false'}>
      <p class="rate">
        Response rate <span class="rate-value">${side(change.before)} → ${side(change.after)}</span>
        <span class="muted small"> (shown ${change.before.shown} → ${change.after.shown})</span>
      </p>
      ${change.warning ? html`<p class="rate-warning"><span aria-hidden="true">⚠ </span>${change.warning}</p>` : null} ${unrecorded}
    </div>`;
  }
  const value = rr.enough ? rateText(rr) : group.shown ? `too few showings (${group.shown}; 5 needed)` : 'no showings recorded';
  return html`<div class="showings" data-enough=${rr.enough ? 'true' : 'false'}>
    <p class="rate">Response rate <span class="rate-value">${value}</span></p>
    ${counts} ${unrecorded}
  </div>`;
}

/** The best-rated words offered at least five times: `happy 42%, pleased 38%`. */
function topRated(wordRates, count = 3) {
  return wordRates.words
    .filter((w) => w.enough)
    .slice(0, count)
    .map((w) => `${wordLabel(w.word)} ${percent(w.rate)}`)
    .join(', ');
}

/** The metrics a touchpoint asks (or has answers for), in NPS, CES, NEV order. */
function metricsOf(tp) {
  const asks = new Set(tp.asks);
  const out = [];
  if (asks.has('nps') || tp.nps.n) out.push('nps');
  if ((asks.has('ces') || tp.ces?.n) && tp.ces) out.push('ces');
  if (asks.has('emotion') || tp.nev.n) out.push('nev');
  return out;
}

function Touchpoint({ tp, compareAt }) {
  const metrics = metricsOf(tp);
  return html`<article class="touchpoint" aria-labelledby=${`tp-${tp.touchpoint}`} data-touchpoint=${tp.touchpoint}>
    <h4 id=${`tp-${tp.touchpoint}`}>${tp.touchpoint}</h4>
    <p class="tp-meta">
      <span class="count">${plural(tp.answers, 'answer')}</span> · ${plural(tp.responses, 'response')}
      ${tp.seeded ? html` <span class="tag seeded" title="Generated by npm run demo:seed">${tp.seeded === tp.answers ? 'synthetic' : `${tp.seeded} synthetic`}</span>` : null}
    </p>
    <${Showings} group=${tp} change=${compareAt ? tp.compare?.responseRate : null} />
    ${
      tp.answers === 0
        ? html`<p class="muted">No answers yet.</p>`
        : html`<dl class="metrics">
            ${metrics.map((m) => html`<${MetricRow} key=${m} metric=${m} result=${tp[m]} compare=${compareAt ? tp.compare?.[m] : null} scale=${tp.ces?.scale ?? 7} />`)}
          </dl>`
    }
    ${
      topRated(tp.wordRates)
        ? html`<p class="top-words"><span class="muted">Most chosen when offered:</span> ${topRated(tp.wordRates)}</p>`
        : null
    }
  </article>`;
}

/** With a comparison: every touchpoint whose response rate itself changed, above the journey. */
function RateWarnings({ report }) {
  const changed = report.stages.flatMap((s) => s.touchpoints).filter((tp) => tp.compare?.responseRate?.changed);
  if (!changed.length) return null;
  return html`<div class="notice warn rate-warnings" data-touchpoints=${changed.map((tp) => tp.touchpoint).join(' ')}>
    <div>
      <p><strong>The response rate changed at ${changed.map((tp) => tp.touchpoint).join(', ')}.</strong></p>
      <p>
        ${changed.map((tp) => {
          const { before, after } = tp.compare.responseRate;
          return html`<span class="nowrap"
              >${tp.touchpoint}: ${percent(before.responseRate.rate)} → ${percent(after.responseRate.rate)}</span
            >. `;
        })}
        The after figures may come from different people: a change in who answers can move the scores as much as a change in the experience.
      </p>
    </div>
  </div>`;
}

function Journey({ report, compareAt }) {
  return html`<section class="panel journey-panel" aria-labelledby="journey-title">
    <h2 id="journey-title">Journey</h2>
    <p class="muted small">
      Stages left to right in the order the site's widget config lists its touchpoints. Whiskers show 95% confidence
      intervals${compareAt ? '; grey is before, blue after the comparison date' : ''}. The response rate is the share of showings answered;
      below 5 answers (or showings) a number is not shown.
    </p>
    ${compareAt ? html`<${RateWarnings} report=${report} />` : null}
    <ol class="journey">
      ${report.stages.map(
        (stage) =>
          html`<li class="stage" data-stage=${stage.stage} key=${stage.stage}>
            <h3>${stage.stage} <span class="muted small">${plural(stage.summary.answers, 'answer')}</span></h3>
            <div class="stage-touchpoints">
              ${stage.touchpoints.map((tp) => html`<${Touchpoint} key=${tp.touchpoint} tp=${tp} compareAt=${compareAt} />`)}
            </div>
          </li>`,
      )}
    </ol>
  </section>`;
}

function Filters({ filters, setFilters, report }) {
  const set = (key) => (event) => setFilters({ ...filters, [key]: event.currentTarget.value });
  const change = report?.seeded?.changeAt;
  return html`<form class="panel filters" aria-labelledby="filters-title" onSubmit=${(e) => e.preventDefault()}>
    <h2 id="filters-title" class="sr-only">Filters</h2>
    <label>From <input type="date" name="from" value=${filters.from} onChange=${set('from')} /></label>
    <label>To <input type="date" name="to" value=${filters.to} onChange=${set('to')} /></label>
    <label
      >Site
      <select name="site" value=${filters.site} onChange=${set('site')}>
        <option value="">All sites</option>
        ${(report?.sites ?? []).map((s) => html`<option value=${s}>${s}</option>`)}
      </select>
    </label>
    <label class="compare-at"
      >Compare before/after
      <input type="date" name="compareAt" value=${filters.compareAt} onChange=${set('compareAt')} aria-describedby="compare-help" />
    </label>
    ${
      filters.compareAt
        ? html`<button type="button" class="button secondary" onClick=${() => setFilters({ ...filters, compareAt: '' })}>
            Stop comparing
          </button>`
        : change
          ? html`<button type="button" class="button secondary" onClick=${() => setFilters({ ...filters, compareAt: dateInput(change) })}>
              Compare at the seeded change (${dateInput(change)})
            </button>`
          : null
    }
    <p id="compare-help" class="muted small">
      Dates are UTC days. With a comparison date, answers before that day are compared with answers from it on; a change is coloured only
      when its 95% interval excludes zero.
    </p>
  </form>`;
}

const COMMENTS_SHOWN = 10;

function Comments({ comments }) {
  const [all, setAll] = useState(false);
  if (!comments.length) return html`<p class="muted">No comments here yet.</p>`;
  const shown = all ? comments : comments.slice(0, COMMENTS_SHOWN);
  return html`<div class="table-scroll">
      <table class="lines comments">
        <caption class="sr-only">
          Most recent comments with their scores
        </caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Touchpoint</th>
            <th scope="col" class="num">Score</th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (c) =>
              html`<tr key=${c.id}>
                <td class="nowrap">${when(c.answeredAt)}</td>
                <td>${c.touchpoint}</td>
                <td class="num nowrap">${scoreLabel(c)}</td>
                <td class="comment">${c.comment}${c.seeded ? html` <span class="tag seeded">synthetic</span>` : null}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${
      comments.length > COMMENTS_SHOWN
        ? html`<button type="button" class="button secondary" aria-expanded=${all} onClick=${() => setAll(!all)}>
            ${all ? `Show the latest ${COMMENTS_SHOWN}` : `Show all ${comments.length} recent comments`}
          </button>`
        : null
    }`;
}

/** Trends, distributions, words and comments, for everything or one touchpoint. */
function Details({ report, filters, setFilters }) {
  const all = report.stages.flatMap((s) => s.touchpoints);
  const tp = all.find((t) => t.touchpoint === filters.touchpoint);
  const group = tp ?? report.overall;
  const compare = filters.compareAt ? group.compare : null;
  const scope = tp ? tp.touchpoint : 'all touchpoints';
  const distribution = group.distribution;
  const shown = ['nps', 'ces', 'feeling'].filter((m) => {
    if (!tp) return true;
    return m === 'feeling' ? metricsOf(tp).includes('nev') : metricsOf(tp).includes(m);
  });
  return html`<section class="panel" aria-labelledby="details-title">
    <div class="details-head">
      <h2 id="details-title">Trends, scores, words and comments: ${scope}</h2>
      <label
        >Show
        <select value=${filters.touchpoint} onChange=${(e) => setFilters({ ...filters, touchpoint: e.currentTarget.value })}>
          <option value="">All touchpoints</option>
          ${all.map((t) => html`<option value=${t.touchpoint}>${t.stage} · ${t.touchpoint}</option>`)}
        </select>
      </label>
    </div>
    <${Trends} report=${report} touchpoints=${tp ? [tp] : all} compareAt=${filters.compareAt ? report.query.compareAt : null} />
    <h3>Distributions</h3>
    <div class="dists">
      ${shown.map((m) => html`<${Distribution} key=${m} metric=${m} distribution=${distribution} compare=${compare} cesScale=${group.ces?.scale} />`)}
    </div>
    <div class="two-col">
      <div>
        <h3>Emotion words by choice rate</h3>
        <${EmotionRanking} rates=${group.wordRates} />
      </div>
      <div>
        <h3>Recent comments</h3>
        <${Comments} comments=${group.comments} />
      </div>
    </div>
  </section>`;
}

/** A trend chart per metric of each touchpoint shown (one, or all), per day or ISO week. */
function Trends({ report, touchpoints, compareAt }) {
  const charts = touchpoints.flatMap((tp) =>
    metricsOf(tp)
      .filter((m) => tp.trend.length && tp.trend[0][m])
      .map((m) => ({ tp, m })),
  );
  const unit = report.trend?.unit;
  return html`<h3>Trends</h3>
    ${
      charts.length
        ? html`<p class="muted small">
              ${`Per ${unit === 'week' ? 'ISO week (Monday first)' : 'UTC day'}: the line is the score, the band its 95% interval; a ${unit === 'week' ? 'week' : 'day'} with fewer than 5 answers is a gap.`}
              ${report.trend.clipped ? ' The range is long: only its latest 1000 weeks are shown.' : ''}
              ${compareAt ? ' The dashed line marks the comparison date.' : ''}
            </p>
            <div class="trends">
              ${charts.map(
                ({ tp, m }) =>
                  html`<${TrendChart}
                    key=${`${tp.touchpoint}-${m}`}
                    metric=${m}
                    points=${tp.trend}
                    unit=${unit}
                    title=${tp.touchpoint}
                    max=${m === 'ces' ? (tp.ces?.scale ?? 7) : undefined}
                    compareAt=${compareAt}
                  />`,
              )}
            </div>`
        : html`<p class="muted">No answers to trend here yet.</p>`
    }`;
}

function Overview({ report }) {
  const o = report.overall;
  const tile = (label, value, note) =>
    html`<div class="tile">
      <span class="tile-label">${label}</span><span class="tile-value">${value}</span><span class="tile-note">${note}</span>
    </div>`;
  const scored = (metric, r, none) =>
    tooFew(r)
      ? tile(METRICS[metric].label, '–', `n ${r.n}, ${TOO_FEW}`)
      : tile(METRICS[metric].label, metricValue(metric, r.score), r.n ? `n ${r.n}, ${intervalText(metric, r.ci95)}` : none);
  const rr = o.responseRate;
  return html`<section class="tiles" aria-label="Totals">
    ${tile('Answers', o.answers, plural(o.responses, 'response'))}
    ${tile(
      'Response rate',
      rr.enough ? percent(rr.rate) : '–',
      rr.enough
        ? `95% CI ${percent(rr.ci95[0])}–${percent(rr.ci95[1])}; ${o.answered} of ${o.shown} showings, ${o.dismissed} dismissed`
        : o.shown
          ? `${o.shown} showings, too few`
          : 'no showings recorded',
    )}
    ${scored('nps', o.nps, 'no NPS answers')}
    ${
      tooFew(o.ces)
        ? tile('CES', '–', `n ${o.ces.n}, ${TOO_FEW}`)
        : tile(
            'CES',
            o.ces ? metricValue('ces', o.ces.mean) : '–',
            o.ces?.n
              ? `n ${o.ces.n}, ${o.ces.agreePct.toFixed(0)}% agree`
              : o.ces
                ? 'no CES answers'
                : 'touchpoints mix 5- and 7-point scales',
          )
    }
    ${scored('nev', o.nev, 'no feeling answers')}
  </section>`;
}

function Empty({ report }) {
  const stored = report.stored ?? 0;
  return html`<section class="panel empty-state" aria-labelledby="empty-title" data-empty="true">
    <h2 id="empty-title">${stored ? 'No answers match these filters' : 'No answers yet'}</h2>
    ${
      stored
        ? html`<p>The collector has ${stored} answers, none in this period or site. Widen the dates or clear the filters.</p>`
        : html`<p>
            Answers show up here a few seconds after the widget posts them to this collector's <code>/api/answers</code>. In the demo (<code
              >npm start</code
            >), place an order in the shop and answer the survey, or stop the server and run <code>npm run demo:seed</code> for eight weeks
            of synthetic answers.
          </p>`
    }
  </section>`;
}

function App() {
  const [token, setToken] = useState(readToken);
  const [refused, setRefused] = useState(false);
  const onToken = useCallback((value) => {
    saveToken(value);
    setRefused(false);
    setToken(value);
  }, []);
  const onRefused = useCallback(() => {
    saveToken('');
    setRefused(true);
    setToken('');
  }, []);
  if (!token)
    return html`<div class="dash-head">
        <div><h1>Customer journey</h1></div>
      </div>
      <${TokenForm} onToken=${onToken} refused=${refused} />`;
  return html`<${Dashboard} token=${token} onRefused=${onRefused} onForget=${() => onToken('')} />`;
}

function Dashboard({ token, onRefused, onForget }) {
  const [filters, setFiltersState] = useState(readFilters);
  const setFilters = useCallback((next) => {
    writeFilters(next);
    setFiltersState(next);
  }, []);
  const { report, error, updated } = useReport(filters, token, onRefused);
  const [announcement, setAnnouncement] = useState('');
  const lastCount = useRef(null);
  useEffect(() => {
    if (!report) return;
    const count = report.overall.answers;
    if (lastCount.current !== null && count > lastCount.current) {
      const n = count - lastCount.current;
      setAnnouncement(`${n} new answer${n === 1 ? '' : 's'}`);
    }
    lastCount.current = count;
  }, [report]);
  useEffect(() => {
    lastCount.current = null;
  }, [filters.from, filters.to, filters.site]);

  const compareAt = report?.query.compareAt ? filters.compareAt : '';
  const save = (event) => download(event, token, onRefused);
  return html`
    <div class="dash-head">
      <div>
        <h1>Customer journey</h1>
        <p class="lead">
          ${`NPS, effort (CES), Net Emotional Value and response rates at each touchpoint, with 95% intervals. Refreshes every ${POLL_MS / 1000} seconds.`}
        </p>
      </div>
      <p class=${`status${error ? ' error' : ''}`} id="status">
        ${error ? `Cannot load the report (${error}); retrying…` : updated ? `Live · updated ${clock(updated)}` : 'Loading…'}
      </p>
      <p class="sr-only" role="status" aria-live="polite">${announcement}</p>
    </div>
    <p class="exports muted small">
      ${'Download: '}
      <a href=${`/api/answers.csv${reportUrl({ ...filters, compareAt: '' }).slice('/api/report'.length)}`} onClick=${save}>CSV</a>${' · '}
      <a href=${`/api/answers.ndjson${reportUrl({ ...filters, compareAt: '' }).slice('/api/report'.length)}`} onClick=${save}>NDJSON</a
      >${' · '} <a href=${reportUrl(filters)} onClick=${save}>report JSON</a>${' · '}
      <button type="button" class="link-button" onClick=${onForget}>Forget the token</button>
    </p>
    ${
      report?.seeded?.answers
        ? html`<p class="notice seeded-banner" data-seeded=${report.seeded.answers}>
            <span
              ><strong>Includes ${report.seeded.answers} synthetic answers</strong> from <code>npm run demo:seed</code> (scenario
              “${report.seeded.scenario ?? 'demo'}”${report.seeded.changeAt ? `, checkout redesign shipped ${day(report.seeded.changeAt)}` : ''}),
              marked <span class="tag seeded">synthetic</span>. Real answers are added as they arrive.</span
            >
          </p>`
        : null
    }
    <${Filters} filters=${filters} setFilters=${setFilters} report=${report} />
    ${
      !report
        ? null
        : report.overall.answers === 0
          ? html`<${Empty} report=${report} />`
          : html` <${Overview} report=${report} />
              <${Journey} report=${report} compareAt=${compareAt} />
              <${Details} report=${report} filters=${{ ...filters, compareAt }} setFilters=${setFilters} />`
    }
  `;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);

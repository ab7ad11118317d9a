// GET /api/answers.csv and /api/answers.ndjson: shape, quoting, formula injection, filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../server/collector';
import { CSV_COLUMNS, csvField, csvRecord } from '../../server/export';
import { AUTH, BOOT_TIMEOUT, get, parseCsv, post, stored, TOKEN } from './helpers';
import { makeAnswer } from '../answers';

describe('csvField', () => {
  it('leaves plain text, numbers and booleans as they are', () => {
    expect(csvField('Fast delivery')).toBe('Fast delivery');
    expect(csvField(9)).toBe('9');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(true)).toBe('true');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('');
  });

  it('quotes commas, quotes and line breaks as RFC 4180 has it', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+49 30 1234')).toBe("'+49 30 1234");
    expect(csvField('-2 stars')).toBe("'-2 stars");
    expect(csvField('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvField('\t=cmd')).toBe("'\t=cmd");
    expect(csvField('=HYPERLINK("http://evil.example","click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csvField('a=b')).toBe('a=b');
  });

  it('writes one record per answer in the column order', () => {
    const record = csvRecord({ id: 'x', kind: 'emotion', score: 8, emotions: ['happy', 'cared_for'], context: { a: 1 }, seeded: true });
    const fields = parseCsv(`${record}\r\n`)[0]!;
    expect(fields).toHaveLength(CSV_COLUMNS.length);
    const get = (column: string) => fields[CSV_COLUMNS.indexOf(column)];
    expect(get('emotions')).toBe('happy cared_for');
    expect(get('context')).toBe('{"a":1}');
    expect(get('seeded')).toBe('true');
    expect(get('comment')).toBe('');
  });
});

describe('answer exports over HTTP', () => {
  let collector: Collector;
  let base: string;
  const tricky = makeAnswer({
    comment: '=HYPERLINK("http://evil.example","win"), and\r\na second line',
    context: { note: '+1, "quoted"' },
    answeredAt: '2026-04-02T10:00:00.000Z',
  });
  const plain = makeAnswer({
    kind: 'emotion',
    score: 8,
    emotions: ['happy', 'cared_for'],
    answeredAt: '2026-04-01T10:00:00.000Z',
    site: 'other',
  });

  beforeAll(async () => {
    collector = await startCollector({ readToken: TOKEN, rateLimit: false, log: () => {} });
    base = collector.url;
    await post(base, { answers: [plain, tricky] });
    await collector.db.insertAnswers([makeAnswer({ answeredAt: '2026-03-01T10:00:00.000Z' })], { seeded: true, backdate: true });
  }, BOOT_TIMEOUT);
  afterAll(() => collector?.close());

  it('serves CSV with a header, CRLF records and every stored answer', async () => {
    const res = await get(base, '/api/answers.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="moodpoint-answers.csv"');
    expect(res.text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);

    const col = (row: string[], name: string) => row[CSV_COLUMNS.indexOf(name)];
    const all = await stored(base);
    expect(rows.slice(1).map((r) => col(r, 'id'))).toEqual(all.map((a) => a.id));

    const t = rows.find((r) => col(r, 'id') === tricky.id)!;
    expect(col(t, 'comment')).toBe(`'${tricky.comment as string}`);
    expect(col(t, 'context')).toBe('{"note":"+1, \\"quoted\\""}');
    expect(col(t, 'score')).toBe('9');
    expect(col(t, 'seeded')).toBe('false');
    const p = rows.find((r) => col(r, 'id') === plain.id)!;
    expect(col(p, 'emotions')).toBe('happy cared_for');
    expect(rows.filter((r) => col(r, 'seeded') === 'true')).toHaveLength(1);
  });

  it('serves NDJSON, one answer a line, the same as GET /api/answers', async () => {
    const res = await get(base, '/api/answers.ndjson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.text.endsWith('\n')).toBe(true);
    const lines = res.text.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(await stored(base));
    expect(JSON.parse(lines.find((l) => l.includes(tricky.id as string))!).comment).toBe(tricky.comment);
    expect(lines.filter((l) => JSON.parse(l).seeded === true)).toHaveLength(1);
  });

  it('filters exports by date and site, and refuses report-only parameters', async () => {
    const april = parseCsv((await get(base, '/api/answers.csv?from=2026-04-01&to=2026-04-30')).text);
    expect(april).toHaveLength(3);
    const other = (await get(base, '/api/answers.ndjson?site=other')).text.trimEnd().split('\n');
    expect(other.map((l) => JSON.parse(l).id)).toEqual([plain.id]);
    const none = await get(base, '/api/answers.ndjson?from=2030-01-01');
    expect(none).toMatchObject({ status: 200, text: '' });
    const noneCsv = await get(base, '/api/answers.csv?from=2030-01-01');
    expect(noneCsv.text).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    const bad = await get(base, '/api/answers.csv?compareAt=2026-04-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/unknown parameter "compareAt"/);
  });

  it('answers HEAD with headers only', async () => {
    const res = await fetch(`${base}/api/answers.csv`, { method: 'HEAD', headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(await res.text()).toBe('');
  });
});

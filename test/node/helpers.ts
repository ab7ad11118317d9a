// Shared by the collector's HTTP tests.

/** PGlite takes a few seconds to boot, more on a cold cache. */
export const BOOT_TIMEOUT = 60_000;

/** The read token the tests' collectors are started with. */
export const TOKEN = 'test-read-token-0123456789';

/** The header every read route needs. */
export const AUTH = { Authorization: `Bearer ${TOKEN}` };

export interface Reply {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** POSTs a batch (or raw text) to `/api/answers`. */
export async function post(
  base: string,
  body: unknown,
  { contentType = 'text/plain;charset=UTF-8', headers = {} }: { contentType?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${base}/api/answers`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
  return reply(res);
}

/** GETs a path with the read token (pass `token: null` for none) and any other headers. */
export async function get(base: string, path: string, headers: Record<string, string> = {}, token: string | null = TOKEN): Promise<Reply> {
  return reply(await fetch(base + path, { headers: token === null ? headers : { Authorization: `Bearer ${token}`, ...headers } }));
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** Every stored answer. */
export async function stored(base: string): Promise<any[]> {
  const res = await fetch(`${base}/api/answers`, { headers: AUTH });
  if (res.status !== 200) throw new Error(`GET /api/answers: ${res.status}`);
  return ((await res.json()) as { answers: any[] }).answers;
}

/** A minimal RFC 4180 reader, to check the CSV export the way a spreadsheet would read it. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// What both backend recipes share: read a posted batch, validate it with the package's own
// schema, and store each answer once by its id. Replace `memoryStore` with your database.
import { batchSchema } from 'moodpoint';

/** The widget posts text/plain by default (no CORS preflight, so unload sends are not lost); application/json on request. */
const ACCEPTED_TYPES = ['text/plain', 'application/json'];

/**
 * Answers kept in memory, one per id. The widget delivers at least once, so a batch can arrive
 * twice; a resend of a known id may only fill in a comment or emotion words the first copy
 * lacked (the widget resends an answer when words are picked after it was sent).
 */
export function memoryStore() {
  const byId = new Map();
  return {
    all: () => [...byId.values()],
    async save(answers) {
      let accepted = 0;
      let duplicates = 0;
      for (const answer of answers) {
        const known = byId.get(answer.id);
        if (!known) {
          byId.set(answer.id, answer);
          accepted++;
          continue;
        }
        duplicates++;
        if (!known.comment && answer.comment) known.comment = answer.comment;
        if (known.emotions.length === 0 && answer.emotions.length > 0) known.emotions = answer.emotions;
      }
      return { accepted, duplicates };
    },
  };
}

/**
 * One `POST` of answers, whatever the framework: its Content-Type header and body text in, the
 * status and JSON to answer with out. 2xx tells the widget to drop the batch from its outbox,
 * 5xx to retry it later, any other 4xx to give it up (so only send 4xx for a batch that can
 * never be stored).
 */
export async function receiveBatch(contentType, text, store) {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!ACCEPTED_TYPES.includes(type)) return { status: 415, body: { error: 'Content-Type must be text/plain or application/json' } };
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return { status: 400, body: { error: 'malformed JSON' } };
  }
  const result = batchSchema().safeParse(data);
  if (!result.success) {
    return { status: 400, body: { errors: result.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code })) } };
  }
  return { status: 200, body: await store.save(result.data.answers ?? []) };
}

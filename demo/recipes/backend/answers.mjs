// What both backend recipes share: read a posted batch the way the reference collector does
// (`readBatch` checks the content type, JSON and the widget's own schemas, and names every
// problem's path), then store each record once by its id. Replace `memoryStore` with your database.
import { readBatch } from 'moodpoint/ingest';

/**
 * Answers and impressions kept in memory, one per id. The widget delivers at least once, so a
 * batch can arrive twice; a resend of a known answer id may only fill in a comment or emotion
 * words the first copy lacked (the widget resends an answer when words are picked after it was sent).
 */
export function memoryStore() {
  const answersById = new Map();
  const impressionsById = new Map();
  return {
    all: () => [...answersById.values()],
    impressions: () => [...impressionsById.values()],
    async save(answers, impressions) {
      let accepted = 0;
      let duplicates = 0;
      for (const answer of answers) {
        const known = answersById.get(answer.id);
        if (!known) {
          answersById.set(answer.id, answer);
          accepted++;
          continue;
        }
        duplicates++;
        if (!known.comment && answer.comment) known.comment = answer.comment;
        if (known.emotions.length === 0 && answer.emotions.length > 0) known.emotions = answer.emotions;
      }
      for (const impression of impressions) {
        if (impressionsById.has(impression.id)) duplicates++;
        else {
          impressionsById.set(impression.id, impression);
          accepted++;
        }
      }
      return { accepted, duplicates };
    },
  };
}

/**
 * One `POST` of answers or impressions, whatever the framework: its Content-Type header and body
 * text in, the status and JSON to answer with out. 2xx tells the widget to drop the batch from
 * its outbox, 5xx to retry it later, any other 4xx to give it up (so only send 4xx for a batch
 * that can never be stored).
 */
export async function receiveBatch(contentType, text, store) {
  const batch = readBatch(contentType, text);
  if (!batch.ok) return { status: batch.status, body: batch.body };
  return { status: 200, body: await store.save(batch.answers, batch.impressions) };
}

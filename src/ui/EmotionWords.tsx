import { useEffect, useRef, useState } from 'preact/hooks';
import type { Emotion } from '../emotions';

/** Most words a person may pick (SPEC §1). */
export const MAX_WORDS = 3;

/** Props of the emotion-word step. */
export interface EmotionWordsProps {
  question: string;
  first: readonly Emotion[];
  all: readonly Emotion[];
  labels: Record<Emotion, string>;
  more: string;
  send: string;
  skip: string;
  /** The words picked, and every word that was on offer (the short list, or all of them once "More words" was opened). */
  onDone(words: Emotion[], offered: readonly Emotion[]): void;
}

/** Up to three emotion words as toggle buttons (`aria-pressed`), a short balanced list first. */
export function EmotionWords({ question, first, all, labels, more, send, skip, onDone }: EmotionWordsProps) {
  const [picked, setPicked] = useState<Emotion[]>([]);
  const [expanded, setExpanded] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  // "More words" goes away when pressed: its focus moves to the first word it revealed.
  useEffect(() => void (expanded && (list.current?.children[first.length] as HTMLElement | undefined)?.focus()), [expanded]);
  const toggle = (w: Emotion) =>
    setPicked(picked.includes(w) ? picked.filter((p) => p !== w) : picked.length < MAX_WORDS ? [...picked, w] : picked);
  return (
    <div role="group" aria-labelledby="mp-words">
      <p class="sub" id="mp-words">
        {question}
      </p>
      <div class="words" ref={list}>
        {(expanded ? all : first).map((w) => (
          <button
            type="button"
            class="word"
            aria-pressed={picked.includes(w) ? 'true' : 'false'}
            aria-disabled={!picked.includes(w) && picked.length >= MAX_WORDS ? 'true' : undefined}
            onClick={() => toggle(w)}
          >
            {labels[w]}
          </button>
        ))}
        {!expanded && all.length > first.length && (
          <button type="button" class="word more" aria-expanded="false" onClick={() => setExpanded(true)}>
            {more}
          </button>
        )}
      </div>
      <div class="row">
        <button type="button" class="btn ghost" onClick={() => onDone([], expanded ? all : first)}>
          {skip}
        </button>
        <button type="button" class="btn" onClick={() => onDone(picked, expanded ? all : first)}>
          {send}
        </button>
      </div>
    </div>
  );
}

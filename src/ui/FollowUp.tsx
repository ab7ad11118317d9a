import { useState } from 'preact/hooks';
import { MAX_COMMENT } from '../answer';

/** Props of the free-text follow-up. */
export interface FollowUpProps {
  question: string;
  send: string;
  skip: string;
  onDone(comment: string): void;
}

/** The follow-up question: a labelled text box with Send and Skip. */
export function FollowUp({ question, send, skip, onDone }: FollowUpProps) {
  const [text, setText] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onDone(text.trim());
      }}
    >
      {/* Focusable by script only: a step change puts the focus here, not in the box, so no on-screen keyboard pops up unasked. */}
      <label for="mp-comment" tabIndex={-1}>
        {question}
      </label>
      <textarea id="mp-comment" maxLength={MAX_COMMENT} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <div class="row">
        <button type="button" class="btn ghost" onClick={() => onDone('')}>
          {skip}
        </button>
        <button type="submit" class="btn">
          {send}
        </button>
      </div>
    </form>
  );
}

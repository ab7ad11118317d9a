import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Detail } from '../answer';
import { EMOTIONS } from '../emotions';
import type { Step } from '../steps';
import { EmotionWords } from './EmotionWords';
import { FollowUp } from './FollowUp';
import { ScaleQuestion } from './ScaleQuestion';

/** Strings the dialog chrome needs. */
export interface ChromeStrings {
  send: string;
  skip: string;
  close: string;
  thanks: string;
  progress: string;
}

/** Props of the survey dialog. */
export interface PromptProps {
  steps: readonly Step[];
  strings: ChromeStrings;
  lang: string;
  rtl: boolean;
  /** A modal prompt traps the focus, takes it on open and gives it back on close. */
  modal: boolean;
  /** Classes for position and colour scheme. */
  className: string;
  /** Theme custom properties, set through the CSSOM (allowed under a strict CSP). */
  theme: Record<string, string>;
  /** Milliseconds the thank-you stays before the dialog closes itself. */
  thanksMs: number;
  onAnswer(step: number, score: number): void;
  onDetail(step: number, detail: Detail): void;
  /** Closed early; `answered` steps were scored. */
  onDismiss(answered: number): void;
  /** Reached the thank-you. */
  onComplete(): void;
  /** The dialog has gone, either way. */
  onClose(): void;
}

type Phase = { step: number; score?: number; words?: boolean; followUp?: string } | 'thanks';

/**
 * The survey dialog, named by its question. Non-modal by default: it is announced politely and
 * does not take the focus. Each step: a score (reported at once), then emotion words for the
 * feeling step, then the follow-up; a thank-you at the end.
 */
export function Prompt(props: PromptProps) {
  const { steps, strings, modal, rtl } = props;
  const [phase, setPhase] = useState<Phase>({ step: 0 });
  const [announce, setAnnounce] = useState('');
  const dialog = useRef<HTMLDivElement>(null);

  // Read before the modal scale takes the focus, so closing gives it back where it was.
  const [previous] = useState(() => document.activeElement as HTMLElement | null);
  const focusInside = (d = dialog.current) => !!d?.contains((d.getRootNode() as Document | ShadowRoot).activeElement);
  // Closing with the focus inside would drop it on <body>: hand it back (a modal always does).
  // A layout effect, because only its cleanup runs before the nodes go, while the focus is still inside.
  useLayoutEffect(() => () => void ((modal || focusInside()) && previous?.focus?.()), []);

  // Set when a step changes under the focus: the control that had it is gone, so the next step's
  // first control takes it (a modal also takes it on open). Nothing moves for a prompt nobody is in.
  const refocus = useRef(modal);
  const go = (next: Phase) => {
    refocus.current = focusInside();
    setPhase(next);
  };

  useEffect(() => {
    if (refocus.current) {
      refocus.current = false;
      const $ = (selector: string) => dialog.current!.querySelector<HTMLElement>(selector);
      ($('.scale [tabindex="0"],.word,label') ?? $('.x'))?.focus();
    }
    if (phase === 'thanks') {
      setAnnounce(strings.thanks);
      const t = setTimeout(props.onClose, props.thanksMs);
      return () => clearTimeout(t);
    }
    setAnnounce(phase.words ? steps[phase.step]!.words!.question : (phase.followUp ?? steps[phase.step]!.question));
  }, [phase]);

  const advance = (step: number) => {
    if (step + 1 < steps.length) return go({ step: step + 1 });
    go('thanks');
    props.onComplete();
  };

  const next = (step: number, score: number, after: 'score' | 'words') => {
    const s = steps[step]!;
    if (after === 'score' && s.words) return go({ step, score, words: true });
    const followUp = s.followUp(score);
    if (followUp) return go({ step, score, followUp });
    advance(step);
  };

  const dismiss = () => {
    if (phase !== 'thanks') props.onDismiss(phase.step + (phase.score === undefined ? 0 : 1));
    props.onClose();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') return dismiss();
    if (!modal || e.key !== 'Tab') return;
    const focusable = [...dialog.current!.querySelectorAll<HTMLElement>('button,textarea')].filter((el) => el.tabIndex >= 0);
    const [first, last] = [focusable[0], focusable[focusable.length - 1]];
    const active = (dialog.current!.getRootNode() as ShadowRoot).activeElement;
    if (e.shiftKey ? active === first : active === last) {
      (e.shiftKey ? last : first)?.focus();
      e.preventDefault();
    }
  };

  const current = phase === 'thanks' ? undefined : steps[phase.step]!;
  const dialogNode = (
    <div
      class={`mp ${props.className}`}
      style={props.theme}
      role="dialog"
      aria-modal={modal ? 'true' : undefined}
      aria-labelledby="mp-q"
      lang={props.lang}
      dir={rtl ? 'rtl' : 'ltr'}
      ref={dialog}
      onKeyDown={onKeyDown}
    >
      <div class="top">
        <div class="q" id="mp-q">
          {steps.length > 1 && phase !== 'thanks' && (
            <div class="step">{strings.progress.replace('{n}', String(phase.step + 1)).replace('{total}', String(steps.length))}</div>
          )}
          {current ? current.question : strings.thanks}
        </div>
        <button type="button" class="x" aria-label={strings.close} onClick={dismiss}>
          ×
        </button>
      </div>
      {phase !== 'thanks' && phase.score === undefined && (
        <ScaleQuestion
          key={phase.step}
          min={current!.min}
          names={current!.names}
          ends={current!.ends}
          labelledBy="mp-q"
          rtl={rtl}
          onAnswer={(score) => {
            props.onAnswer(phase.step, score);
            next(phase.step, score, 'score');
          }}
        />
      )}
      {phase !== 'thanks' && phase.words && (
        <EmotionWords
          {...current!.words!}
          {...current!.words!.offer(phase.score!)}
          send={strings.send}
          skip={strings.skip}
          onDone={(emotions, shown) => {
            // Recorded even when nothing was picked: a word's choice rate counts every showing that offered it.
            props.onDetail(phase.step, { emotions, offered: EMOTIONS.filter((w) => shown.includes(w)) });
            next(phase.step, phase.score!, 'words');
          }}
        />
      )}
      {phase !== 'thanks' && phase.followUp !== undefined && (
        <FollowUp
          key={phase.step}
          question={phase.followUp}
          send={strings.send}
          skip={strings.skip}
          onDone={(comment) => {
            if (comment) props.onDetail(phase.step, { comment });
            advance(phase.step);
          }}
        />
      )}
      <div class="sr" role="status" aria-live="polite">
        {announce}
      </div>
    </div>
  );
  return modal ? <div class="backdrop">{dialogNode}</div> : dialogNode;
}

import { useRef, useState } from 'preact/hooks';

/** Props of a score scale. */
export interface ScaleProps {
  min: number;
  /** Accessible name of each point, lowest first. */
  names: readonly string[];
  /** Visible labels under the two ends. */
  ends: readonly [string, string];
  /** Id of the question that names the group. */
  labelledBy: string;
  rtl: boolean;
  onAnswer(score: number): void;
}

const STEP: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * A radio group of scores. Arrow keys move the focus without answering (roving tabindex;
 * mirrored left and right in right-to-left layouts); Enter, Space or a click answers at once.
 */
export function ScaleQuestion({ min, names, ends, labelledBy, rtl, onAnswer }: ScaleProps) {
  const [focused, setFocused] = useState(-1);
  const group = useRef<HTMLDivElement>(null);
  const tabStop = focused < 0 ? 0 : focused;

  const move = (to: number) => {
    const i = Math.max(0, Math.min(names.length - 1, to));
    setFocused(i);
    (group.current?.children[i] as HTMLElement | undefined)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const step = STEP[e.key];
    if (step)
      move(tabStop + (rtl && e.key.endsWith('t') ? -step : step)); // ArrowLeft/Right mirror in RTL
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(names.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') onAnswer(min + tabStop);
    else return;
    e.preventDefault();
  };

  return (
    <>
      {/* --c: columns when the scale wraps on touch screens (0..10 as 0-5 / 6-10), so every target stays 44 px wide. */}
      <div
        class="scale"
        role="radiogroup"
        aria-labelledby={labelledBy}
        ref={group}
        onKeyDown={onKeyDown}
        style={{ '--c': names.length > 7 ? Math.ceil(names.length / 2) : names.length }}
      >
        {names.map((name, i) => (
          <button
            type="button"
            class="opt"
            role="radio"
            aria-checked={i === focused ? 'true' : 'false'}
            aria-label={name}
            tabIndex={i === tabStop ? 0 : -1}
            onFocus={() => setFocused(i)}
            onClick={() => onAnswer(min + i)}
          >
            {min + i}
          </button>
        ))}
      </div>
      <div class="ends" aria-hidden="true">
        <span>{ends[0]}</span>
        <span>{ends[1]}</span>
      </div>
    </>
  );
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { Prompt, type PromptProps } from '../../src/ui/Prompt';
import { offerWords, resolveStep } from '../../src/steps';
import { en } from '../../src/locales/en';
import { EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS } from '../../src/emotions';
import type { PromptConfig } from '../../src/config';

let host: HTMLElement;
const config = { brand: 'Acme', touchpoints: [] };
const tp = { id: 't', prompts: [] as PromptConfig[] };

function mount(prompts: PromptConfig[], over: Partial<PromptProps> = {}) {
  host = document.createElement('div');
  document.body.append(host);
  const props: PromptProps = {
    steps: prompts.map((p) => resolveStep(p, tp, en, config)),
    strings: en,
    lang: 'en',
    rtl: false,
    modal: false,
    className: 'bottom-right auto',
    theme: {},
    thanksMs: 4000,
    onAnswer: vi.fn(),
    onDetail: vi.fn(),
    onDismiss: vi.fn(),
    onComplete: vi.fn(),
    onClose: vi.fn(),
    ...over,
  };
  act(() => render(<Prompt {...props} />, host));
  return props;
}

const radios = () => [...host.querySelectorAll<HTMLElement>('[role=radio]')];
const button = (name: string) =>
  [...host.querySelectorAll<HTMLElement>('button')].find((b) => b.textContent === name || b.getAttribute('aria-label') === name)!;
const key = (el: Element, k: string): void => {
  act(() => void el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));
};
const dialogName = () => host.querySelector(`#${host.querySelector('[role=dialog]')!.getAttribute('aria-labelledby')}`)!.textContent;

afterEach(() => {
  render(null, host);
  host.remove();
});

describe('NPS prompt', () => {
  it('is a dialog named by its question with a radio group 0..10', () => {
    mount(['nps']);
    expect(dialogName()).toBe('How likely are you to recommend Acme to a friend or colleague?');
    expect(radios().map((r) => r.textContent)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(radios()[0]!.getAttribute('aria-label')).toBe('0 Not at all likely');
    expect(radios()[5]!.getAttribute('aria-label')).toBe('5');
    expect(radios()[10]!.getAttribute('aria-label')).toBe('10 Extremely likely');
    expect(radios().filter((r) => r.tabIndex === 0)).toHaveLength(1);
    expect(host.querySelector('[role=dialog]')!.contains(document.activeElement)).toBe(false);
  });

  it('answers at once on click, then asks the follow-up', () => {
    const props = mount(['nps']);
    act(() => radios()[9]!.click());
    expect(props.onAnswer).toHaveBeenCalledWith(0, 9);
    expect(host.querySelector('label')!.textContent).toBe('What is the main reason for your score?');
    const box = host.querySelector('textarea')!;
    expect(box.id).toBe(host.querySelector('label')!.getAttribute('for'));
    act(() => {
      box.value = 'Fast delivery';
      box.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => button('Send').click());
    expect(props.onDetail).toHaveBeenCalledWith(0, { comment: 'Fast delivery' });
    expect(props.onComplete).toHaveBeenCalled();
    expect(dialogName()).toBe('Thank you for your feedback!');
  });

  it('moves with arrow keys without answering; Enter answers the focused score', () => {
    const props = mount([{ kind: 'nps', followUp: false }]);
    const group = host.querySelector('[role=radiogroup]')!;
    act(() => radios()[0]!.focus());
    key(group, 'ArrowRight');
    key(group, 'ArrowRight');
    key(group, 'ArrowLeft');
    expect(props.onAnswer).not.toHaveBeenCalled();
    expect(radios()[1]!.tabIndex).toBe(0);
    expect(radios()[0]!.tabIndex).toBe(-1);
    key(group, 'End');
    key(group, 'Enter');
    expect(props.onAnswer).toHaveBeenCalledWith(0, 10);
    expect(props.onComplete).toHaveBeenCalled();
  });

  it('mirrors left and right arrows in right-to-left layouts', () => {
    const props = mount([{ kind: 'nps', followUp: false }], { rtl: true });
    const group = host.querySelector('[role=radiogroup]')!;
    expect(host.querySelector('[role=dialog]')!.getAttribute('dir')).toBe('rtl');
    act(() => radios()[0]!.focus());
    key(group, 'ArrowLeft');
    key(group, 'ArrowLeft');
    key(group, ' ');
    expect(props.onAnswer).toHaveBeenCalledWith(0, 2);
  });

  it('Escape and Close dismiss, reporting how far the person got', () => {
    const props = mount(['nps']);
    act(() => radios()[3]!.click());
    key(host.querySelector('textarea')!, 'Escape');
    expect(props.onDismiss).toHaveBeenCalledWith(1);
    expect(props.onClose).toHaveBeenCalled();
    render(null, host);
    const fresh = mount(['nps']);
    act(() => button('Close').click());
    expect(fresh.onDismiss).toHaveBeenCalledWith(0);
  });

  it('uses band wording for the follow-up', () => {
    mount([{ kind: 'nps', followUp: { detractor: 'What went wrong?', promoter: 'What did you love?' } }]);
    act(() => radios()[2]!.click());
    expect(host.querySelector('label')!.textContent).toBe('What went wrong?');
  });
});

describe('CES prompt', () => {
  it('asks the CES 2.0 statement on 7 labelled points, or 5', () => {
    mount([{ kind: 'ces', task: 'get my issue resolved' }]);
    expect(dialogName()).toBe('Acme made it easy for me to get my issue resolved.');
    expect(radios().map((r) => r.getAttribute('aria-label'))).toEqual([
      '1 Strongly disagree',
      '2 Disagree',
      '3 Somewhat disagree',
      '4 Neither agree nor disagree',
      '5 Somewhat agree',
      '6 Agree',
      '7 Strongly agree',
    ]);
    expect(host.querySelector('.ends')!.textContent).toBe('Strongly disagreeStrongly agree');
    render(null, host);
    mount([{ kind: 'ces', scale: 5 }]);
    expect(dialogName()).toBe('Acme made it easy for me to do what I came to do.');
    expect(radios().map((r) => r.textContent)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('has no follow-up unless configured', () => {
    const props = mount(['ces']);
    act(() => radios()[5]!.click());
    expect(props.onAnswer).toHaveBeenCalledWith(0, 6);
    expect(props.onComplete).toHaveBeenCalled();
  });
});

describe('emotion prompt', () => {
  it('asks the feeling 1..10, then up to 3 words as toggle buttons, the score side first', () => {
    const props = mount(['emotion']);
    expect(dialogName()).toBe('How did this make you feel?');
    expect(radios().map((r) => r.textContent)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    act(() => radios()[8]!.click());
    expect(props.onAnswer).toHaveBeenCalledWith(0, 9);
    const words = () => [...host.querySelectorAll<HTMLElement>('[aria-pressed]')];
    // Four positive words, then four negative ones; which ones, and their order, are drawn per showing.
    const positive = POSITIVE_EMOTIONS.map((w) => en[w]);
    const side = (w: HTMLElement) => (positive.includes(w.textContent!) ? '+' : '-');
    expect(words().map(side).join('')).toBe('++++----');
    act(() => button('More words').click());
    expect(words()).toHaveLength(20);
    for (const w of ['happy', 'valued', 'trusting', 'safe']) act(() => button(w).click());
    expect(
      words()
        .filter((w) => w.getAttribute('aria-pressed') === 'true')
        .map((w) => w.textContent)
        .sort(),
    ).toEqual(['happy', 'trusting', 'valued']);
    expect(button('safe').getAttribute('aria-disabled')).toBe('true');
    act(() => button('Send').click());
    // "More words" was opened: every word was on offer.
    expect(props.onDetail).toHaveBeenCalledWith(0, { emotions: ['happy', 'valued', 'trusting'], offered: [...EMOTIONS] });
    expect(props.onComplete).toHaveBeenCalled();
  });

  it('lets people skip the words; a configured word list is offered as is', () => {
    const props = mount([{ kind: 'emotion', emotions: ['happy', 'stressed'] }]);
    act(() => radios()[1]!.click());
    expect([...host.querySelectorAll('[aria-pressed]')].map((w) => w.textContent)).toEqual(['stressed', 'happy']);
    act(() => button('Skip').click());
    // Nothing picked, and still which words were offered: a choice rate counts every offer.
    expect(props.onDetail).toHaveBeenCalledWith(0, { emotions: [], offered: ['stressed', 'happy'] });
    expect(props.onComplete).toHaveBeenCalled();
  });

  it('offers a balanced short list by the score side', () => {
    expect(
      offerWords(2)
        .first.slice(0, 4)
        .every((w) => (NEGATIVE_EMOTIONS as readonly string[]).includes(w)),
    ).toBe(true);
    expect(offerWords(2).all).toHaveLength(20);
    expect(new Set(offerWords(8).all).size).toBe(20);
  });
});

describe('chained prompts', () => {
  it('shows one step at a time with a progress hint, each answer reported as given', () => {
    const props = mount([
      { kind: 'nps', followUp: false },
      { kind: 'emotion', emotions: false },
    ]);
    expect(host.querySelector('.step')!.textContent).toBe('1 of 2');
    act(() => radios()[10]!.click());
    expect(host.querySelector('.step')!.textContent).toBe('2 of 2');
    expect(dialogName()).toContain('How did this make you feel?');
    act(() => button('Close').click());
    expect(props.onAnswer).toHaveBeenCalledTimes(1);
    expect(props.onDismiss).toHaveBeenCalledWith(1);
  });
});

describe('modal prompt', () => {
  it('takes the focus, traps Tab inside and gives the focus back on close', () => {
    const outside = document.createElement('button');
    document.body.append(outside);
    outside.focus();
    mount([{ kind: 'ces', scale: 5 }], { modal: true, className: 'center auto' });
    const dialog = host.querySelector('[role=dialog]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(radios()[0]);
    // The scale's tab stop is the last focusable element: Tab wraps to Close, Shift+Tab back.
    const tab = (shiftKey: boolean): void => {
      act(() => void document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true })));
    };
    tab(false);
    expect(document.activeElement).toBe(button('Close'));
    tab(true);
    expect(document.activeElement).toBe(radios()[0]);
    act(() => render(null, host));
    expect(document.activeElement).toBe(outside);
    outside.remove();
  });
});

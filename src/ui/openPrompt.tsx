import { h, render } from 'preact';
import { answerSchema, newAnswer, type Answer, type Detail, type ShowingFields } from '../answer';
import { isRtl, loadStrings, pickLocale } from '../locale';
import type { OpenPrompt, Showing } from '../promptModule';
import { resolveStep } from '../steps';
import { validate } from '../validate';
import { mountShadow } from './mountShadow';
import { Prompt } from './Prompt';
import { styles } from './styles';
import { themeOf } from './theme';

/** Milliseconds the thank-you stays before the dialog closes itself. */
const THANKS_MS = 4000;

/**
 * Puts a showing on screen: strings for the locale, one shadow root with the widget's styles, and
 * the dialog; each score becomes a validated answer. `close()` takes every node away again.
 */
export async function openPrompt(s: Showing): Promise<OpenPrompt | undefined> {
  const { config, touchpoint: t } = s;
  const wanted = pickLocale(config.locale, globalThis.navigator?.languages ?? []);
  const { code: lang, strings } = await loadStrings(wanted, config.localeUrl ?? s.localeBase, (why) =>
    s.debug(`showing English: locale "${wanted}" did not load (${why})`),
  );
  if (s.cancelled()) return undefined;
  const theme = themeOf(config);
  const steps = t.prompts.map((p) => resolveStep(p, t, strings, config));
  const fields: ShowingFields = {
    responseId: s.responseId,
    touchpoint: t.id,
    stage: t.stage,
    site: config.site,
    user: s.user,
    context: s.context,
    // The language the question was really asked in.
    locale: lang,
    // Query strings and fragments often carry personal data: keep only origin and path.
    url: location.origin + location.pathname,
  };
  const scored: Answer[] = [];
  const mounted = mountShadow(styles, s.target, config.nonce);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    render(null, mounted.root);
    mounted.remove();
    s.onClose();
  };
  try {
    render(
      h(Prompt, {
        steps,
        strings,
        lang,
        rtl: isRtl(lang),
        modal: theme.modal,
        className: theme.className,
        theme: theme.vars,
        thanksMs: THANKS_MS,
        onAnswer: s.safe('answer', (step: number, score: number) => {
          const checked = validate(answerSchema(), newAnswer(fields, steps[step]!.kind, score), 'answer');
          if (!checked.ok) return checked.problems.forEach((p) => s.report(p));
          scored[step] = checked.value;
          s.onAnswer(checked.value);
        }),
        onDetail: s.safe('answer', (step: number, detail: Detail) => {
          if (scored[step]) s.onDetail(scored[step], detail);
        }),
        // The scores this showing really recorded: a click on Close can come before the dialog re-rendered after a score.
        onDismiss: s.safe('dismiss', (answered: number) => s.onDismiss(Math.max(answered, scored.filter(Boolean).length), steps.length)),
        onComplete: s.safe('complete', s.onComplete),
        onClose: s.safe('close', close),
      }),
      mounted.root,
    );
  } catch (error) {
    close();
    throw error;
  }
  return { kinds: steps.map((x) => x.kind), close };
}

import { h, render } from 'preact';
import { answerSchema, type Answer } from './answer';
import type { Config, Touchpoint } from './config';
import { MAX_CONTEXT_KEYS, mergeContext, sanitizeContext, type Context } from './context';
import { createDelivery, OUTBOX_LOCK, showingLock, type Delivery } from './delivery';
import { ineligible, newVisitorState, type VisitorState } from './eligibility';
import type { Emitter } from './emitter';
import { isRtl, loadStrings, pickLocale, type Loaded } from './locale';
import { hold, withLock } from './lock';
import { debugLog, logProblem, type Problem } from './log';
import { createOutbox, type Outbox } from './outbox';
import { resolveStep } from './steps';
import { openKv, type Kv } from './storage';
import { watchTriggers, type Triggers } from './triggers';
import { mountShadow, type Mounted } from './ui/mountShadow';
import { Prompt, type Detail } from './ui/Prompt';
import { styles } from './ui/styles';
import { themeOf } from './ui/theme';
import { validate } from './validate';

/** A running widget: what the public API drives once config is valid. */
export interface Widget {
  trigger(name: string, context?: unknown): Promise<boolean>;
  show(touchpointId: string, context?: unknown): Promise<boolean>;
  identify(userId: string, traits?: unknown): void;
  consent(granted: boolean): Promise<void>;
  flush(): Promise<void>;
  destroy(): void;
}

const THANKS_MS = 4000;
const VISITOR_KEY = 'v:state';
const SESSION_KEY = 'moodpoint:shown';

/** Surveys shown in this browsing session; sessionStorage can throw (sandboxed frames, privacy modes). */
function sessionCount(write?: number): number {
  try {
    if (write !== undefined) sessionStorage.setItem(SESSION_KEY, String(write));
    return Number(sessionStorage.getItem(SESSION_KEY)) || 0;
  } catch {
    return write ?? 0;
  }
}

/**
 * Wires the layers for one config: trigger → eligibility → render → answer → validate → outbox →
 * flush → endpoint. UI and transport meet only here. Nothing starts until `start()`; `destroy()`
 * removes every listener, timer and node added since.
 */
export function createWidget(config: Config, emitter: Emitter): Widget & { start(): Promise<void> } {
  const debug = config.debug;
  const contentType = config.contentType ?? 'text/plain;charset=UTF-8';
  const cleanups: (() => void)[] = [];
  const locale = pickLocale(config.locale, globalThis.navigator?.languages ?? []);
  let strings: Promise<Loaded> | undefined;
  const gpc =
    config.respectGlobalPrivacyControl && (globalThis.navigator as { globalPrivacyControl?: boolean } | undefined)?.globalPrivacyControl;
  let consented = config.consent !== false && !gpc;
  let visitor: VisitorState = newVisitorState();
  let shownThisSession = 0;
  let triggers: Triggers | undefined;
  let kvOpen: Kv | undefined;
  let held: Answer[] = [];
  let user: string | undefined;
  let traits: Context | undefined;
  let open: (Mounted & { close(): void }) | undefined;
  let storage: { outbox: Outbox; delivery?: Delivery } | undefined;
  let destroyed = false;

  const report = (problem: Problem, extra?: { ids?: string[]; status?: number }) => {
    logProblem(problem);
    emitter.emit('error', { ...problem, ...extra });
  };

  /** Runs async work so that nothing it throws can reach the host page. */
  const guard = async <T>(where: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      report({ path: where, message: `failed: ${String(error)}`, fix: 'please report this with the console output' });
      return undefined;
    }
  };

  const listen = (target: EventTarget, type: string, fn: (e: Event) => void) => {
    target.addEventListener(type, fn);
    cleanups.push(() => target.removeEventListener(type, fn));
  };

  /** IndexedDB is opened only with consent: opening it already stores something. */
  const kvReady = () =>
    (kvOpen ??= openKv(
      (reason) => debugLog(debug, `storage is in memory only (${reason})`),
      () => {
        debugLog(debug, 'the database was closed for another page (deleted?): writing back what this tab holds');
        if (storage && !destroyed) void guard('outbox', () => storage!.outbox.all());
      },
    ));

  const saveVisitor = () =>
    guard('visitor', async () => {
      if (!consented) return;
      sessionCount(shownThisSession);
      await kvReady().set(VISITOR_KEY, visitor);
    });

  /** Merges what this browser remembers (read only with consent) into what this page has seen so far. */
  const loadVisitor = () =>
    guard('visitor', async () => {
      if (!consented) return;
      const saved = { ...newVisitorState(), ...(await kvReady().get<VisitorState>(VISITOR_KEY)) };
      const now = visitor;
      visitor = {
        views: saved.views + now.views,
        roll: { ...saved.roll, ...now.roll },
        shown: { ...saved.shown, ...now.shown },
        dismissed: { ...saved.dismissed, ...now.dismissed },
        lastShown: Math.max(saved.lastShown ?? 0, now.lastShown ?? 0) || undefined,
      };
      shownThisSession += sessionCount();
      await saveVisitor();
    });

  const ready = () => {
    if (storage) return storage;
    const outbox = createOutbox(kvReady(), {
      maxAnswers: config.outbox?.maxAnswers ?? 1000,
      maxAgeDays: config.outbox?.maxAgeDays ?? 30,
      onEvict: (answers, reason) =>
        report(
          {
            path: 'outbox',
            message: `${answers.length} unsent answer(s) evicted: ${reason}`,
            fix: 'check the endpoint is reachable, or raise the limit',
          },
          { ids: answers.map((a) => a.id) },
        ),
    });
    const delivery =
      config.endpoint &&
      createDelivery(
        outbox,
        config.endpoint,
        { contentType },
        {
          sent: (answers, status) => emitter.emit('sent', { ids: answers.map((a) => a.id), status }),
          rejected: (answers, status, deadLetters) =>
            report(
              {
                path: 'endpoint',
                message: `rejected ${answers.length} answer(s) with HTTP ${status}; they are dropped (${deadLetters} in all)`,
                fix: 'check the collector accepts SPEC §4 answers',
              },
              { ids: answers.map((a) => a.id), status },
            ),
          debug: (...args) => debugLog(debug, ...args),
        },
      );
    if (delivery) cleanups.push(delivery.stop);
    return (storage = { outbox, delivery: delivery || undefined });
  };

  const contextOf = (where: string, raw: unknown) => {
    const { context, dropped } = sanitizeContext(raw);
    if (dropped.length) debugLog(debug, `${where}: context keys dropped (not JSON primitives, or more than 20):`, dropped);
    return context;
  };

  const localeStrings = () =>
    (strings ??= loadStrings(locale, config.localeUrl, (why) =>
      debugLog(debug, `showing English: locale "${locale}" did not load (${why})`),
    ));

  const flush = () =>
    guard('flush', async () => {
      if (!consented || destroyed) return;
      await ready().delivery?.flush();
    });

  const store = (answer: Answer) =>
    guard('outbox', async () => {
      if (!consented) return void held.push(answer);
      await ready().outbox.add(answer);
    });

  /**
   * Joins emotion words or a comment to a scored answer while it is queued. Once it was sent, a
   * comment goes as its own `kind: "comment"` record (SPEC §4) and words as a same-id resend.
   */
  const addDetail = (scored: Answer, detail: Detail) =>
    guard('outbox', async () => {
      const later = (): Answer =>
        detail.comment
          ? {
              ...scored,
              id: crypto.randomUUID(),
              kind: 'comment',
              score: undefined,
              emotions: [],
              comment: detail.comment,
              answeredAt: new Date().toISOString(),
            }
          : { ...scored, ...detail };
      if (!consented) {
        const i = held.findIndex((a) => a.id === scored.id);
        if (i >= 0) held[i] = { ...held[i]!, ...detail };
        else held.push(later());
        return;
      }
      const { outbox } = ready();
      await withLock(OUTBOX_LOCK, async () => {
        if (!(await outbox.patch(scored.id, detail))) await outbox.add(later());
      });
    });

  /** Reports what a UI callback throws instead of letting it reach the page's error handlers. */
  const safe =
    <A extends unknown[]>(where: string, fn: (...args: A) => void) =>
    (...args: A) => {
      try {
        fn(...args);
      } catch (error) {
        report({ path: where, message: `failed: ${String(error)}`, fix: 'please report this with the console output' });
      }
    };

  /** A trigger's conditions hold: show the touchpoint if this visitor is eligible now. */
  const fire = async (t: Touchpoint, context?: Context): Promise<boolean> =>
    (await guard(`touchpoints "${t.id}"`, () => eligibleThenShow(t, context))) ?? false;

  const eligibleThenShow = async (t: Touchpoint, context?: Context): Promise<boolean> => {
    if (visitor.roll[t.id] === undefined) {
      visitor.roll[t.id] = Math.random();
      await saveVisitor();
    }
    const why = ineligible(t, config, visitor, shownThisSession, Date.now());
    if (why) {
      debugLog(debug, `"${t.id}" not shown: ${why}`);
      return false;
    }
    return show(t, context);
  };

  const show = async (t: Touchpoint, context: Context | undefined): Promise<boolean> => {
    if (open) {
      debugLog(debug, `"${t.id}" not shown: another prompt is open`);
      return false;
    }
    const theme = themeOf(config);
    const target = config.theme?.target ? document.querySelector(config.theme.target) : document.body;
    if (!target) {
      report({
        path: 'theme.target',
        message: `no element matches "${config.theme?.target}"`,
        fix: 'point it at an element that exists when the touchpoint fires',
      });
      return false;
    }
    const { code: lang, strings: s } = await localeStrings();
    if (open || destroyed) return false;
    const steps = t.prompts.map((p) => resolveStep(p, t, s, config));
    const responseId = crypto.randomUUID();
    const mounted = mountShadow(styles, target, config.nonce);
    const release = hold(showingLock(responseId));
    const scored: Answer[] = [];
    let chain: Promise<unknown> = Promise.resolve();
    const then = (work: () => Promise<unknown>) => (chain = chain.then(work));
    const close = () => {
      if (open !== current) return;
      open = undefined;
      render(null, mounted.root);
      mounted.remove();
      release();
      void then(flush);
    };
    const current = (open = { ...mounted, close });
    try {
      render(
        h(Prompt, {
          steps,
          strings: s,
          lang,
          rtl: isRtl(lang),
          modal: theme.modal,
          className: theme.className,
          theme: theme.vars,
          thanksMs: THANKS_MS,
          onAnswer: safe('answer', (step: number, score: number) => {
            const merged = mergeContext(traits, context);
            if (merged.dropped.length)
              debugLog(debug, `identify traits left out of the answer (${MAX_CONTEXT_KEYS} context keys at most):`, merged.dropped);
            const answer: Answer = {
              id: crypto.randomUUID(),
              responseId,
              touchpoint: t.id,
              stage: t.stage,
              kind: steps[step]!.kind,
              score,
              emotions: [],
              context: merged.context,
              site: config.site,
              user,
              // The language the question was really asked in.
              locale: lang,
              // Query strings and fragments often carry personal data: keep only origin and path.
              url: location.origin + location.pathname,
              answeredAt: new Date().toISOString(),
              v: 1,
            };
            const checked = validate(answerSchema(), answer, 'answer');
            if (!checked.ok) return checked.problems.forEach((p) => report(p));
            scored[step] = checked.value;
            void then(() => store(checked.value));
            emitter.emit('answer', { answer: checked.value });
          }),
          onDetail: safe('answer', (step: number, detail: Detail) => {
            const answer = scored[step];
            if (answer) void then(() => addDetail(answer, detail));
          }),
          onDismiss: safe('dismiss', (answered: number) => {
            visitor.dismissed[t.id] = Date.now();
            void saveVisitor();
            emitter.emit('dismiss', { touchpoint: t.id, responseId, answered, steps: steps.length });
          }),
          onComplete: safe('complete', () => emitter.emit('complete', { touchpoint: t.id, responseId })),
          onClose: safe('close', close),
        }),
        mounted.root,
      );
    } catch (error) {
      close();
      throw error;
    }
    visitor.shown[t.id] = visitor.lastShown = Date.now();
    shownThisSession++;
    void saveVisitor();
    debugLog(debug, `"${t.id}" shown`);
    emitter.emit('show', { touchpoint: t.id, responseId, kinds: steps.map((x) => x.kind) });
    return true;
  };

  return {
    async start() {
      if (typeof window === 'undefined') return;
      listen(window, 'online', () => void flush());
      // At unload there is no time for IndexedDB or locks: send what this tab knows, with keepalive.
      const unload = () => storage?.delivery?.flushOnUnload();
      listen(window, 'pagehide', unload);
      listen(document, 'visibilitychange', () => document.visibilityState === 'hidden' && unload());
      cleanups.push(() => open?.close());
      void localeStrings();
      visitor.views++;
      await loadVisitor();
      if (destroyed) return;
      const t = (triggers = watchTriggers(config.touchpoints, {
        fire,
        views: () => visitor.views,
        navigated: () => void (visitor.views++, saveVisitor()),
        problem: (path, message, fix) => report({ path, message, fix }),
      }));
      cleanups.push(t.stop);
      void flush();
    },
    async trigger(name, rawContext) {
      if (destroyed || !triggers) return false;
      const context = contextOf(`trigger("${name}")`, rawContext);
      const shown = await triggers.event(name, context);
      if (!shown) debugLog(debug, `trigger "${name}": nothing shown`);
      return shown;
    },
    async show(id, rawContext) {
      const t = config.touchpoints.find((tp) => tp.id === id);
      if (destroyed || !t) {
        if (!t) report({ path: `show("${id}")`, message: 'no touchpoint has this id', fix: 'use an id from config.touchpoints' });
        return false;
      }
      return show(t, contextOf(`show("${id}")`, rawContext));
    },
    identify(userId, rawTraits) {
      user = String(userId).slice(0, 128) || undefined;
      traits = sanitizeContext(rawTraits).context;
    },
    async consent(granted) {
      if (consented === granted) return;
      consented = granted;
      if (!granted) {
        held = [];
        return;
      }
      const answers = held;
      held = [];
      for (const a of answers) await store(a);
      await loadVisitor();
      await flush();
    },
    flush,
    destroy() {
      destroyed = true;
      cleanups.splice(0).forEach((fn) => fn());
    },
  };
}

// Type tests of the public API, checked by `tsc --noEmit` (never run): every `@ts-expect-error`
// must meet an error, so a change that loosens or breaks a public type fails the typecheck.
import { expectTypeOf } from 'vitest';
import {
  answerSchema,
  batchSchema,
  ces,
  compare,
  consent,
  destroy,
  EMOTIONS,
  flush,
  identify,
  init,
  nev,
  nps,
  on,
  responseRate,
  show,
  trend,
  trigger,
  type Answer,
  type Config,
  type Emotion,
  type EventMap,
  type Kind,
  type PromptConfig,
  type Touchpoint,
} from '../../src/index';
import * as metrics from '../../src/metrics';

// Commands: async ones resolve, never reject; configs from JSON are checked at run time.
expectTypeOf(init).parameter(0).toEqualTypeOf<unknown>();
expectTypeOf(init).returns.toEqualTypeOf<Promise<boolean>>();
expectTypeOf(trigger('checkout_complete', { orderId: 7, coupon: null })).toEqualTypeOf<Promise<boolean>>();
expectTypeOf(show('checkout_complete')).toEqualTypeOf<Promise<boolean>>();
expectTypeOf(identify('u_123', { plan: 'pro' })).toEqualTypeOf<Promise<void>>();
expectTypeOf(consent(true)).toEqualTypeOf<Promise<void>>();
expectTypeOf(flush()).toEqualTypeOf<Promise<void>>();
expectTypeOf(destroy()).toEqualTypeOf<void>();
// @ts-expect-error a trigger needs a name
void trigger();
// @ts-expect-error the name is a string
void trigger(7);
// @ts-expect-error the context is an object of values
void trigger('checkout_complete', 'order 7');
// @ts-expect-error consent is a boolean, not a string
void consent('yes');
// @ts-expect-error a user id is a string
void identify(123);

// Events: the payload follows the event name.
expectTypeOf(on('answer', ({ answer }) => void answer.score)).toEqualTypeOf<() => void>();
on('answer', ({ answer }) => expectTypeOf(answer).toEqualTypeOf<Answer>());
on('sent', ({ ids, status }) => expectTypeOf<[string[], number]>([ids, status]));
on('error', (e) => expectTypeOf(e).toEqualTypeOf<EventMap['error']>());
// @ts-expect-error no such event
on('answered', () => {});
// @ts-expect-error a dismiss carries no answer
on('dismiss', ({ answer }) => answer);

// Config: a typed config is checked by the compiler, as the schema checks it at run time.
const config = {
  endpoint: 'https://collector.example.com/api/answers',
  theme: { position: 'bottom-left', mode: 'dark' },
  touchpoints: [
    { id: 'checkout_complete', prompts: ['nps', { kind: 'emotion', emotions: ['cared_for'] }], on: { event: 'checkout_complete' } },
    { id: 'support_closed', prompts: [{ kind: 'ces', scale: 5, followUp: 'What made it hard?' }] },
  ],
} satisfies Config;
void init(config);
expectTypeOf<Touchpoint['prompts'][number]>().toEqualTypeOf<PromptConfig>();
expectTypeOf<Kind>().toEqualTypeOf<'nps' | 'ces' | 'emotion'>();
// @ts-expect-error touchpoints are required
const noTouchpoints: Config = { endpoint: 'https://collector.example.com/api/answers' };
// @ts-expect-error no such kind
const typo: Config = { touchpoints: [{ id: 'a', prompts: ['npx'] }] };
// @ts-expect-error no such position
const position: Config = { theme: { position: 'top' }, touchpoints: [] };
// @ts-expect-error CES has a 5- or a 7-point scale
const scale: Config = { touchpoints: [{ id: 'a', prompts: [{ kind: 'ces', scale: 10 }] }] };
// @ts-expect-error emotion words are the 20 keys
const word: Config = { touchpoints: [{ id: 'a', prompts: [{ kind: 'emotion', emotions: ['bored'] }] }] };
// @ts-expect-error unknown keys are errors
const extra: Config = { touchpoints: [], colour: 'red' };
void [noTouchpoints, typo, position, scale, word, extra];

// Answers and the schemas a backend validates with.
expectTypeOf<Answer['kind']>().toEqualTypeOf<'nps' | 'ces' | 'emotion' | 'comment'>();
expectTypeOf<Answer['emotions']>().toEqualTypeOf<Emotion[]>();
expectTypeOf(EMOTIONS).toExtend<readonly Emotion[]>();
const parsed = batchSchema().safeParse({});
if (parsed.success) expectTypeOf(parsed.data.answers).toEqualTypeOf<Answer[] | undefined>();
expectTypeOf(answerSchema().parse({})).toEqualTypeOf<Answer>();

// Metrics, from 'moodpoint' and 'moodpoint/metrics' alike.
expectTypeOf(metrics.nps).toEqualTypeOf(nps);
// null while there are no answers to compute from
expectTypeOf(nps([9, 10, 3]).score).toEqualTypeOf<number | null>();
expectTypeOf(ces([5, 6], 5).agreePct).toEqualTypeOf<number | null>();
// @ts-expect-error CES scales are 5 or 7
ces([5, 6], 10);
expectTypeOf(nev([{ score: 9, emotions: ['valued'] }]).score).toEqualTypeOf<number | null>();
expectTypeOf(compare([9], [10], 'nps').delta).toEqualTypeOf<number | null>();
// @ts-expect-error scores are numbers
nps(['9']);
expectTypeOf(metrics.responseRate).toEqualTypeOf(responseRate);
expectTypeOf(responseRate({ shown: 10, answered: 3 }).rate).toEqualTypeOf<number | null>();
expectTypeOf(nps([9]).enough).toEqualTypeOf<boolean>();
// A trend bucket's summary is what the summarising function returns.
const week = trend([{ answeredAt: '2026-03-02T10:00:00Z', score: 9 }], (xs) => nps(xs.map((x) => x.score)), {
  from: '2026-03-02',
  to: '2026-03-09',
});
expectTypeOf(week[0]!.summary).toEqualTypeOf<metrics.NpsResult>();
// @ts-expect-error records need an answeredAt
trend([{ score: 9 }], () => 0, { from: '2026-03-02', to: '2026-03-09' });

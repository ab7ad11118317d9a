import { describe, expect, it } from 'vitest';
import { scriptMsOf, type TraceEvent } from '../../bench/mainThread.mjs';

const URL = 'http://127.0.0.1:1/case/x';
const main = { pid: 1, tid: 7 };
const ev = (name: string, ts: number, dur: number, at = main): TraceEvent => ({ name, ph: 'X', ts, dur, ...at });
const parse = (ts: number, url = URL, at = main): TraceEvent => ({ ...ev('ParseHTML', ts, 100, at), args: { beginData: { url } } });

describe('scriptMsOf (the bench: main-thread script time from a trace)', () => {
  it('counts nested and overlapping script events once', () => {
    const events = [parse(1_000), ev('TimerFire', 2_000, 3_000), ev('RunMicrotasks', 2_500, 2_000), ev('FunctionCall', 4_500, 1_000)];
    // 2,000 → 5,500 µs, once
    expect(scriptMsOf(events, URL)).toBeCloseTo(3.5);
  });

  it('counts a checkpoint of microtasks that runs on its own after a callback', () => {
    const events = [parse(0), ev('FireIdleCallback', 1_000, 200), ev('RunMicrotasks', 1_200, 20_000)];
    expect(scriptMsOf(events, URL)).toBeCloseTo(20.2);
  });

  it("leaves out other threads, events that run no script, and the previous document's pagehide", () => {
    const other = { pid: 2, tid: 7 };
    const events = [
      ev('EventDispatch', 100, 5_000), // pagehide of the page before, before this document's ParseHTML
      parse(10_000),
      ev('Layout', 11_000, 9_000),
      ev('EvaluateScript', 12_000, 1_000, other),
      ev('EvaluateScript', 13_000, 1_000),
    ];
    expect(scriptMsOf(events, URL)).toBeCloseTo(1);
  });

  it("reads the thread of the renderer that parsed the page's URL", () => {
    const other = { pid: 2, tid: 9 };
    const events = [
      parse(0, 'http://127.0.0.1:1/case/other', main),
      parse(0, URL, other),
      ev('EvaluateScript', 100, 2_000, other),
      ev('EvaluateScript', 100, 9_000),
    ];
    expect(scriptMsOf(events, URL)).toBeCloseTo(2);
  });

  it('fails when the page was not traced, rather than report 0 ms', () => {
    expect(() => scriptMsOf([ev('EvaluateScript', 0, 1_000)], URL)).toThrow(/no ParseHTML of http:\/\/127\.0\.0\.1:1\/case\/x/);
  });
});

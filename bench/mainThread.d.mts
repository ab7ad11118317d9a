/** A Chromium trace event, as `Tracing.dataCollected` reports it. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { beginData?: { url?: string } } & Record<string, unknown>;
}
export const TRACE_CATEGORIES: string[];
export function scriptMsOf(events: TraceEvent[], url: string): number;

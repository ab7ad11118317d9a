import { newVisitorState, type VisitorState } from './eligibility';
import type { Kv } from './storage';

/** What this browser remembers about its visitor, for eligibility: views, sample rolls, when shown and dismissed. */
export interface Visitor {
  /** The state as this page knows it now (what the browser remembered, once `load` ran, plus this page). */
  readonly state: VisitorState;
  /** Prompts shown in this browsing session. */
  readonly shownThisSession: number;
  /** Merges what the browser remembers into this page's state (read only with consent). */
  load(): Promise<void>;
  /** Counts a single-page-app navigation as a page view. */
  view(): Promise<void>;
  /** Draws the sample roll of a touchpoint once, so a reload does not re-roll. */
  roll(touchpointId: string): Promise<void>;
  shown(touchpointId: string): Promise<void>;
  dismissed(touchpointId: string): Promise<void>;
  /** Forgets what was stored (consent withdrawn); this page's own state stays in memory. `stored`: the store was opened. */
  forget(stored: boolean): Promise<void>;
}

/** Where the visitor state is kept. */
export const VISITOR_KEY = 'v:state';
const SESSION_KEY = 'moodpoint:shown';

/** Surveys shown in this browsing session; sessionStorage can throw (sandboxed frames, privacy modes). */
function sessionCount(write?: number): number {
  try {
    if (write === undefined) return Number(sessionStorage.getItem(SESSION_KEY)) || 0;
    if (write < 0) sessionStorage.removeItem(SESSION_KEY);
    else sessionStorage.setItem(SESSION_KEY, String(write));
  } catch {
    /* the count lives in this page only */
  }
  return Math.max(write ?? 0, 0);
}

/**
 * Creates the visitor memory of one page load, which counts as a page view. Nothing is read or
 * written without consent: `kv` is only called then, because opening IndexedDB already stores
 * something. Page views are stored up to `countViewsTo` (the highest `pageViews` a touchpoint
 * waits for): past it the count decides nothing, and a page view that has nothing to write
 * costs the page no write.
 */
export function createVisitor(kv: () => Kv, consented: () => boolean, countViewsTo: number): Visitor {
  let state: VisitorState = { ...newVisitorState(), views: 1 };
  let session = 0;
  let merged = false;
  /** The page views the store holds (never lowered: an earlier config may have counted further). */
  let storedViews = 0;
  /** Changed since last written: a roll, a showing or a dismissal (made in memory until there is consent). */
  let changed = false;

  const viewsToStore = () => Math.max(storedViews, Math.min(state.views, countViewsTo));
  const save = async () => {
    changed = true;
    if (!consented()) return;
    changed = false;
    if (session) sessionCount(session);
    storedViews = viewsToStore();
    await kv().set(VISITOR_KEY, { ...state, views: storedViews });
  };

  return {
    get state() {
      return state;
    },
    get shownThisSession() {
      return session;
    },
    async load() {
      if (!consented()) return;
      const saved = { ...newVisitorState(), ...(await kv().get<VisitorState>(VISITOR_KEY)) };
      state = {
        views: saved.views + state.views,
        roll: { ...saved.roll, ...state.roll },
        shown: { ...saved.shown, ...state.shown },
        dismissed: { ...saved.dismissed, ...state.dismissed },
        lastShown: Math.max(saved.lastShown ?? 0, state.lastShown ?? 0) || undefined,
      };
      // Only a browser that was shown a prompt can have a count this session: the others never
      // touch sessionStorage, whose first access costs the page a synchronous load of it.
      if (!merged && (saved.lastShown !== undefined || !kv().persistent)) session += sessionCount();
      merged = true;
      storedViews = saved.views;
      if (changed || viewsToStore() !== storedViews) await save();
    },
    async view() {
      state.views++;
      if (viewsToStore() !== storedViews) await save();
    },
    async roll(id) {
      if (state.roll[id] !== undefined) return;
      state.roll[id] = Math.random();
      await save();
    },
    async shown(id) {
      state.shown[id] = state.lastShown = Date.now();
      session++;
      await save();
    },
    async dismissed(id) {
      state.dismissed[id] = Date.now();
      await save();
    },
    async forget(stored) {
      sessionCount(-1);
      if (stored) await kv().del([VISITOR_KEY]);
    },
  };
}

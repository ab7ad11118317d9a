import type { Browser, CDPSession, Page } from 'playwright-core';

export function openTab(
  browser: Browser,
  options?: { throttle?: number },
): Promise<{
  page: Page;
  cdp: CDPSession;
  check(): void;
  quiet(): Promise<unknown>;
  traced<T>(url: string, view: () => Promise<T>): Promise<{ result: T; mainMs: number }>;
  scriptMs(): Promise<number>;
  close(): Promise<void>;
}>;

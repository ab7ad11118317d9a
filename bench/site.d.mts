export function serveSite(routes: Map<string, { type: string; body: string; cache?: boolean }>): Promise<{
  origin: string;
  misses: Set<string>;
  close(): Promise<void>;
}>;

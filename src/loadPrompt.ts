import type { PromptModule } from './promptModule';

/** Loads the prompt module; bundlers make it a chunk of its own (the script-tag build swaps in `loadPrompt.script.ts`). */
export const loadPrompt = (): Promise<PromptModule> => import('./prompt').then((m) => m.prompt);

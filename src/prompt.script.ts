import { prompt } from './prompt';
import { PROMPT_KEY } from './promptModule';

// The prompt file's entry: it hands its module to the loader that inserted it.
(window as unknown as Record<symbol, unknown>)[Symbol.for(PROMPT_KEY)] = prompt;

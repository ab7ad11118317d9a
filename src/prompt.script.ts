import { prompt } from './prompt';

/**
 * The prompt file's entry. Its build (`deferred` in rollup.config.mjs) wraps the file's code in a
 * function that returns this module and puts the function under `Symbol.for(PROMPT_KEY)`
 * (`promptModule.ts`), so nothing of the file runs before the loader needs it.
 */
export default prompt;

import { configSchemaFor } from './config';
import { yieldToMain } from './idle';
import type { PromptModule } from './promptModule';
import { openPrompt } from './ui/openPrompt';
import { validate } from './validate';

/** The prompt file's module: loaded by the loader when a prompt is about to show, or to validate a new config. */
export const prompt: PromptModule = {
  async validateConfig(input) {
    return validate(await configSchemaFor(input, yieldToMain), input);
  },
  openPrompt,
};

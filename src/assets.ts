let base: string | undefined;
let scriptNonce: string | undefined;

/**
 * Where the script tag's other files are: the prompt file and `locales/` next to
 * `moodpoint.min.js`, and the nonce the page gave the script tag (the prompt file gets it too).
 */
export function setAssets(scriptUrl: string | undefined, nonce?: string): void {
  base = scriptUrl;
  scriptNonce = nonce || undefined;
}

/** The URL of a file next to the script, or `undefined` outside the script-tag build. */
export const assetUrl = (path: string): string | undefined => (base ? new URL(path, base).href : undefined);

/** The nonce of the script tag, if the page used one. */
export const assetNonce = (): string | undefined => scriptNonce;

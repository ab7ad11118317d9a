/** A shadow root the widget renders into, and how to take it away again. */
export interface Mounted {
  root: ShadowRoot;
  remove(): void;
}

/**
 * Adds one host element with an open shadow root to `parent` (the body, or an inline target). Styles go in as a
 * constructable stylesheet, so a strict CSP needs no `unsafe-inline`; where those are missing, a
 * `<style nonce>` carries them.
 */
export function mountShadow(css: string, parent: Element, nonce?: string): Mounted {
  const host = document.createElement('moodpoint-widget');
  // Inline CSSOM styles are allowed under CSP and outrank page rules such as `* { all: unset }`;
  // `display: contents` keeps the host out of the page's layout while fonts still inherit.
  host.style.setProperty('display', 'contents', 'important');
  const root = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    if (nonce) style.nonce = nonce;
    style.textContent = css;
    root.append(style);
  }
  parent.append(host);
  return { root, remove: () => host.remove() };
}

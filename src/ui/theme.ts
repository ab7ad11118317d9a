import type { Config } from '../config';

/** Relative luminance of a `#rgb`/`#rrggbb` colour (WCAG 2). */
export function luminance(hex: string): number {
  const h = hex.length === 4 ? hex.replace(/\w/g, '$&$&') : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** Black or white, whichever contrasts more with `hex`: text on the accent colour stays readable. */
export function textOn(hex: string): '#000' | '#fff' {
  const l = luminance(hex);
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000' : '#fff';
}

/** The prompt's classes and custom properties for a config's theme. */
export function themeOf(config: Config): { className: string; vars: Record<string, string>; modal: boolean } {
  const t = config.theme ?? {};
  const position = t.position ?? 'bottom-right';
  const vars: Record<string, string> = {};
  if (t.accent) {
    vars['--mp-accent'] = t.accent;
    vars['--mp-on-accent'] = textOn(t.accent);
  }
  if (t.background) vars['--mp-bg'] = t.background;
  if (t.text) vars['--mp-fg'] = t.text;
  if (t.radius !== undefined) vars['--mp-radius'] = `${t.radius}px`;
  if (t.font) vars['--mp-font'] = t.font;
  if (t.zIndex !== undefined) vars['--mp-z'] = String(t.zIndex);
  return { className: `${position} ${t.mode ?? 'auto'}`, vars, modal: position === 'center' };
}

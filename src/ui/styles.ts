/**
 * The widget's stylesheet. Sizes are px because host pages change the root font size. Colours
 * and shape come from custom properties that the theme sets on the dialog, so a theme never
 * rebuilds the sheet; `all: initial` keeps inherited page styles out, except the font family,
 * which follows the page unless `theme.font` says otherwise. The reset of the parts is wrapped in
 * `:where()` so it never outranks the element rules below it (label and textarea margins).
 * A pressed word also gets a check mark (left out of its name): colour alone is lost in forced colours.
 * Dark mode's default accent is lighter (indigo 400 with black text): the light one is only about
 * 2:1 against the dark background, too faint for the Send button and pressed words (WCAG 1.4.11).
 * The comment box is 16 px: iOS zooms the page into any smaller text field on focus.
 */
const dark =
  '--bg:var(--mp-bg,#1f2937);--fg:var(--mp-fg,#f9fafb);--mu:#d1d5db;--ln:#9ca3af;--a:var(--mp-accent,#818cf8);--oa:var(--mp-on-accent,#000)';

/** The stylesheet text, adopted once per shadow root. */
export const styles = `
.mp{all:initial;--a:var(--mp-accent,#4f46e5);--oa:var(--mp-on-accent,#fff);--bg:var(--mp-bg,#fff);--fg:var(--mp-fg,#1f2937);--mu:#4b5563;--ln:#6b7280;--r:var(--mp-radius,12px);
position:fixed;z-index:var(--mp-z,2147483000);bottom:16px;right:16px;display:block;box-sizing:border-box;width:400px;max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);overflow:auto;
padding:16px;background:var(--bg);color:var(--fg);border:1px solid var(--ln);border-radius:var(--r);box-shadow:0 8px 30px rgba(0,0,0,.25);
font-family:var(--mp-font,inherit);font-size:15px;line-height:1.4;text-align:start;animation:mp-in .2s ease-out}
.dark{${dark}}
@media (prefers-color-scheme:dark){.auto{${dark}}}
.bottom-left{right:auto;left:16px}
.bottom-center{right:0;left:0;margin:0 auto}
.backdrop{position:fixed;inset:0;z-index:var(--mp-z,2147483000);display:flex;align-items:center;justify-content:center;background:rgba(0,0,0,.45)}
.center{position:relative;inset:auto}
.inline{position:relative;inset:auto;width:auto;max-width:480px;max-height:none;box-shadow:none;z-index:auto}
@media (max-width:480px){.mp:not(.inline,.center){right:0;left:0;bottom:0;width:auto;max-width:none;border-radius:var(--r) var(--r) 0 0}}
@keyframes mp-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.mp{animation:none}}
:where(.mp *){box-sizing:border-box;font:inherit;color:inherit;margin:0;letter-spacing:inherit}
.top{display:flex;align-items:flex-start;gap:8px}
.q{flex:1;font-weight:600;padding-top:10px}
.step,.sub{font-size:13px;font-weight:400;color:var(--mu)}
.sub{margin-top:12px;font-size:15px;color:var(--fg);font-weight:600}
.x{flex:none;width:44px;height:44px;margin:-8px;border:0;border-radius:8px;background:none;cursor:pointer;font-size:24px;line-height:1;color:var(--mu)}
.scale{display:flex;gap:3px;margin-top:12px}
.opt{flex:1 1 0;min-width:0;height:44px;padding:0;border:1px solid var(--ln);border-radius:6px;background:var(--bg);cursor:pointer;font-variant-numeric:tabular-nums}
@media (max-width:480px),(pointer:coarse){.scale{display:grid;grid-template-columns:repeat(var(--c),minmax(0,1fr))}}
.opt:hover,.word:hover{border-color:var(--a)}
.opt[aria-checked=true],.word[aria-pressed=true]{background:var(--a);border-color:var(--a);color:var(--oa)}
.ends{display:flex;justify-content:space-between;gap:8px;margin-top:6px;font-size:13px;color:var(--mu)}
.words{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.word{min-height:44px;padding:0 14px;border:1px solid var(--ln);border-radius:22px;background:var(--bg);cursor:pointer}
.word[aria-pressed=true]:before{content:"✓ "/""}
.word[aria-disabled=true]{opacity:.6;cursor:not-allowed}
.more{border-style:dashed}
label{display:block;margin-top:12px;font-weight:600;outline:0}
textarea{display:block;width:100%;min-height:72px;margin-top:8px;padding:8px;font-size:16px;border:1px solid var(--ln);border-radius:6px;background:var(--bg);resize:vertical}
.row{display:flex;justify-content:flex-end;gap:8px;margin-top:12px}
.btn{min-width:44px;min-height:44px;padding:0 16px;border:1px solid var(--a);border-radius:8px;background:var(--a);color:var(--oa);cursor:pointer;font-weight:600}
.ghost{background:none;color:var(--fg);border-color:var(--ln)}
button:focus-visible,textarea:focus-visible{outline:3px solid var(--fg);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

// The one place that says how every tool and test starts Chromium: Debian's build (Playwright's own
// browser download does not work on these machines), without background traffic that would
// disturb timings or reach the network.

/** Debian's Chromium, or `CHROMIUM_PATH`. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Its flags: headless, no sandbox (containers), and no background networking, updates or sync. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

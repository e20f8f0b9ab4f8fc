// Debian's Chromium as every browser test and the browser benchmark start it. The flags keep it quiet on
// a machine with no network: no background connections, component updates, sync or first-run pages.
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Flags for a headless Chromium that talks to nothing but the pages it is given. */
export const QUIET_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
];

// Debian's headless Chromium for the browser tests, driven by playwright-core (never a
// downloaded browser build). In CI a missing browser is a failure; on a workstation, a skip.
import { existsSync } from 'node:fs';
import { it } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
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

/**
 * The describe title for a browser suite, saying why it is skipped when it is; in CI (where
 * .ci/run installs Chromium) a missing browser adds a failing test instead.
 */
export function chromiumSuiteTitle(title: string): string {
  it.runIf(!chromiumAvailable && process.env.CI)('has Chromium installed (required in CI)', () => {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`,
    );
  });
  if (chromiumAvailable) return title;
  const why = `no Chromium at ${CHROMIUM}; apt-get install chromium, or set CHROMIUM_PATH`;
  if (!process.env.CI) console.warn(`skipping ${title}: ${why}`);
  return `${title} (skipped: ${why})`;
}

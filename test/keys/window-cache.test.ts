// Every key window a store accepts stays cached, however long its idle lifetime (issue 14,
// finding 10): otherwise tokens that cycle through old windows force one HKDF call each.
import { describe, expect, it } from 'vitest';
import { createSessionStore } from '../../src/index.js';
import type { KeyRing } from '../../src/keys/key-ring.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore } from '../helpers/store.js';

const DAY = 86400;

async function deriveWindows(ring: KeyRing, count: number): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) =>
      ring.windowKey('k1', start + i),
    );
    await Promise.all(batch);
  }
}

describe('the window-key cache', () => {
  it('holds every window of a 300-day idle lifetime (more than the 4096 floor)', async () => {
    const ring = makeStore({
      keys: keyEntry('k1'),
      lifetime: { idleTimeout: 300 * DAY, absoluteTimeout: 300 * DAY },
    }).keyRing;
    const windows = 300 * 24;
    await deriveWindows(ring, windows);
    expect(ring.derivedWindowKey('k1', 0)).toBeDefined();
    expect(ring.derivedWindowKey('k1', windows - 1)).toBeDefined();
  });

  it('fits a ring read from the environment too (resolved at first use)', async () => {
    const store = createSessionStore({
      testing: { env: { SESSION_KEYS: keyEntry('k1'), NODE_ENV: 'production' } },
      lifetime: { idleTimeout: 300 * DAY, absoluteTimeout: 300 * DAY },
    });
    const ring = store.keyRing;
    const windows = 300 * 24;
    await deriveWindows(ring, windows);
    expect(ring.derivedWindowKey('k1', 0)).toBeDefined();
  });

  it('keeps the floor for short lifetimes, dropping the oldest past it', async () => {
    const ring = makeStore({ keys: keyEntry('k1') }).keyRing;
    await deriveWindows(ring, 4097);
    expect(ring.derivedWindowKey('k1', 0)).toBeUndefined();
    expect(ring.derivedWindowKey('k1', 1)).toBeDefined();
  });
});

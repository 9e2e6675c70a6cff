import type { RevocationState } from './revocation-store.js';

// A revocation store is the app's code over a network: what it answers, and how it fails,
// is checked before anything is learnt from it.

/** A store call that throws synchronously (not async) rejects like one that fails later. */
export function attempt<T>(call: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * A store write that rejects when the store fails or does not answer within `timeout` ms (a
 * `TimeoutError` DOMException): the write may still land.
 */
export async function bounded(
  operation: string,
  timeout: number,
  write: () => Promise<void>,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message = `the revocation store did not answer ${operation} within ${timeout} ms; it may still apply it`;
      reject(new DOMException(message, 'TimeoutError'));
    }, timeout);
  });
  try {
    await Promise.race([attempt(write), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function isState(value: unknown): value is RevocationState {
  if (typeof value !== 'object' || value === null) return false;
  const { sessionRevoked, subjectRevokedBefore } = value as Record<string, unknown>;
  return (
    typeof sessionRevoked === 'boolean' &&
    (subjectRevokedBefore === undefined ||
      (typeof subjectRevokedBefore === 'number' && Number.isFinite(subjectRevokedBefore)))
  );
}

/**
 * An error's `code` or class name, never its message. node-redis errors leave `name` as
 * "Error", so the constructor's name is read too (minified builds may shorten it).
 */
export function nameOf(error: unknown): string {
  const word = (value: unknown): value is string =>
    typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) && value !== 'Error';
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (word(code)) return code;
    if (word(name)) return name;
    const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (word(constructorName)) return constructorName;
  }
  return 'Error';
}

/** Revoked by its id, or by a subject cut-off after its creation (epoch ms; or unknown creation). */
export function revoked(
  sessionRevoked: boolean | undefined,
  subjectBefore: number | undefined,
  createdAt: number | undefined,
): boolean {
  if (sessionRevoked === true) return true;
  if (subjectBefore === undefined) return false;
  return typeof createdAt !== 'number' || !Number.isFinite(createdAt) || createdAt < subjectBefore;
}

/** The later of two cut-offs (a subject's only moves forward). */
export function later(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

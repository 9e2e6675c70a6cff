import { debug } from '../debug.js';
import type { RevocationUnavailableEvent } from './revocation-options.js';

/** Whether `now` is less than `span` ms after `since`; a clock that went back ends the span. */
export function within(since: number, now: number, span: number): boolean {
  return since <= now && now - since < span;
}

/**
 * The `onEvent` reports of a store that could not answer: at most one per `quiet` ms, each
 * counting the unavailable verdicts not reported since the one before.
 */
export class OutageEvents {
  readonly #onEvent: ((event: RevocationUnavailableEvent) => unknown) | undefined;
  readonly #now: () => number;
  readonly #quiet: number;
  #lastEvent: number | undefined;
  #suppressed = 0;

  constructor(
    onEvent: ((event: RevocationUnavailableEvent) => unknown) | undefined,
    now: () => number,
    quiet: number,
  ) {
    this.#onEvent = onEvent;
    this.#now = now;
    this.#quiet = quiet;
  }

  report(error: string): void {
    const now = this.#now();
    const last = this.#lastEvent;
    if (last !== undefined && within(last, now, this.#quiet)) {
      this.#suppressed++;
      return;
    }
    const event: RevocationUnavailableEvent = {
      type: 'revocation-unavailable',
      error,
      suppressed: this.#suppressed,
    };
    this.#lastEvent = now;
    this.#suppressed = 0;
    notify(this.#onEvent, event);
  }
}

// A logging hook that throws must not turn an outage answer into a failed request.
function notify(
  hook: ((event: RevocationUnavailableEvent) => unknown) | undefined,
  event: RevocationUnavailableEvent,
): void {
  if (hook === undefined) return;
  try {
    const result = hook(event);
    if (result instanceof Promise) result.catch(() => debug('onEvent hook failed'));
  } catch {
    debug('onEvent hook failed');
  }
}

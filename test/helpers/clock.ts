/** 2026-01-15 12:30:00 UTC: half an hour into a key window, so small moves stay inside it. */
export const START_MS = Date.UTC(2026, 0, 15, 12, 30, 0);

/** A clock a test moves by hand, passed to the store as `now`. */
export class Clock {
  ms: number;
  constructor(ms: number = START_MS) {
    this.ms = ms;
  }
  readonly now = (): number => this.ms;
  /** Current time in whole seconds, as the claims count it. */
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

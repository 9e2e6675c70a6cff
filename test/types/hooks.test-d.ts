import { describe, expectTypeOf, it } from 'vitest';
import {
  createSessionStore,
  type RejectionContext,
  type RejectionReason,
  type SealedTimes,
  type SessionEvent,
} from '../../src/index.js';

describe('hook types', () => {
  it('types the rejection hook and narrows events on their type', () => {
    createSessionStore({
      onRejection(rejection, context) {
        expectTypeOf(rejection.reason).toEqualTypeOf<RejectionReason>();
        expectTypeOf(rejection.sealed).toEqualTypeOf<SealedTimes | undefined>();
        expectTypeOf(context).toEqualTypeOf<RejectionContext>();
      },
      async onEvent(event) {
        expectTypeOf(event).toEqualTypeOf<SessionEvent>();
        if (event.type === 'reseal') expectTypeOf(event.toKeyId).toEqualTypeOf<string>();
        if (event.type === 'too-large') expectTypeOf(event.size).toEqualTypeOf<number>();
        // @ts-expect-error: a reseal carries no size
        if (event.type === 'reseal') event.size;
      },
    });
    // @ts-expect-error: a hook is a function
    createSessionStore({ onEvent: 'log' });
  });
});

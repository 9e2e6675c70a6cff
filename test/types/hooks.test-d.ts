import { describe, expectTypeOf, it } from 'vitest';
import type { SealedTimes } from '../../src/errors.js';
import { createSessionStore, type RejectionReason, type SessionEvent } from '../../src/index.js';
import type { RejectionContext } from '../../src/session/hooks.js';

describe('hook types', () => {
  it('types the rejection hook and narrows events on their type', () => {
    createSessionStore({
      hooks: {
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
      },
    });
    createSessionStore({
      hooks: {
        // @ts-expect-error: a hook is a function
        onEvent: 'log',
      },
    });
  });
});

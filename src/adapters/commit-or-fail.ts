import type { Commit } from '../session/commit.js';
import type { RequestHandle } from '../session/port.js';

/**
 * The end-of-request commit of the entries whose framework answers errors itself (Hono,
 * SvelteKit, React Router): a commit that throws (SessionTooLargeError, SessionValueError)
 * fails the handle, so the session stays as the browser sent it and no retry can write it
 * behind the framework's error response, and is rethrown to the framework.
 */
export async function commitOrFail<T, F>(handle: RequestHandle<T, F>): Promise<Commit> {
  try {
    return await handle.commit();
  } catch (error) {
    handle.fail();
    throw error;
  }
}

/**
 * A copy of `text` that keeps no other string alive, for a string that outlives its request.
 *
 * V8 makes a slice of a string (of 13 characters or more) a view into the string it was cut
 * from: a token cut from a Cookie header keeps the whole header in memory for as long as the
 * token is held, and a header can be hundreds of kilobytes of other cookies. A character put
 * in front and cut off again makes V8 flatten the pair into a new string first, so the result
 * is a view of that copy only. (About 0.1 µs for a 4 KB token, once per cache miss.)
 */
export function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/**
 * A thrown value as text, for a trace or an error message. It may be anything an app's code
 * throws (a null-prototype object, a revoked Proxy, a throwing toString or message getter),
 * and describing it must not throw in turn: from a rejection handler that would be an
 * unhandled rejection, which ends a Node process.
 */
export function describeThrown(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
  } catch {
    return `a ${typeof value} that cannot be printed`;
  }
}

// Reading and checking the urlencoded form posts of the Route Handlers.

// Form posts here are a few numbers or one note; anything bigger is refused unread.
export const MAX_BODY_BYTES = 16 * 1024;

/** The form, or undefined once the body passes MAX_BODY_BYTES (so the caller answers 413). */
export async function readForm(request) {
  if (Number(request.headers.get('content-length')) > MAX_BODY_BYTES) return undefined;
  if (!request.body) return new URLSearchParams();
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// A decimal number as people type it: 12, -3.5, .5, 1e3. Number() alone would also take
// "0x1f", "" and " " (as 31, 0 and 0), which nobody means in a calculator.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

export function parseNumber(form, name) {
  const text = form.get(name)?.trim();
  if (!text) return { error: `${name} is missing: enter a number.` };
  if (!DECIMAL.test(text)) return { error: `${name} is not a number: ${JSON.stringify(text)}.` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: `${name} is too large: ${text}.` };
  return { value };
}

/** The four results of a and b, or undefined when one is too large to compute. */
export function calculate(a, b) {
  const results = {
    sum: a + b,
    difference: a - b,
    product: a * b,
    // JSON has no Infinity: "no quotient" is stored as null.
    quotient: b === 0 ? null : a / b,
  };
  if (Object.values(results).some((v) => v !== null && !Number.isFinite(v))) return undefined;
  return results;
}

// The three payloads of issue 6, built deterministically so every run seals the same bytes.

function cart(targetBytes) {
  const items = [];
  while (JSON.stringify({ uid: 'u_8f3a2c', items }).length < targetBytes) {
    const n = items.length;
    items.push({
      sku: `SKU-${1000 + n}`,
      name: `Stainless steel widget, model ${n}`,
      qty: 1 + (n % 3),
      price: 1999,
    });
  }
  return { uid: 'u_8f3a2c', items };
}

/** small ≈ 60 B (user id, name, role), medium ≈ 1 KB (a cart of about a dozen items), large ≈ 3 KB. */
export const payloads = {
  small: { uid: 'u_8f3a2c', name: 'Ada Lovelace', role: 'admin' },
  medium: cart(1000),
  large: cart(3000),
};

export const payloadBytes = (p) => Buffer.byteLength(JSON.stringify(p));

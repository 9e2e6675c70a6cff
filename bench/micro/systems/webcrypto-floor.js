// Floor: the least any Web Crypto sealer can do. One AES-256-GCM call under a key imported
// once, plus JSON and base64url (Node's native Buffer codec). Token: `<iv>.<ciphertext+tag>`.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function webCryptoFloor() {
  const key = await crypto.subtle.importKey(
    'raw',
    crypto.getRandomValues(new Uint8Array(32)),
    'AES-GCM',
    false,
    ['encrypt', 'decrypt'],
  );
  return {
    name: 'Web Crypto floor',
    floor: true,
    async seal(data) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv },
        key,
        encoder.encode(JSON.stringify(data)),
      );
      return `${Buffer.from(iv).toString('base64url')}.${Buffer.from(sealed).toString('base64url')}`;
    },
    async unseal(token) {
      const [iv, sealed] = token.split('.');
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: Buffer.from(iv, 'base64url') },
        key,
        Buffer.from(sealed, 'base64url'),
      );
      return JSON.parse(decoder.decode(plain));
    },
    payloadOf: (opened) => opened,
  };
}

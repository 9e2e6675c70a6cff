// A plain jose dir + A256GCM token of the payload alone (no claims, no kid) under a CryptoKey
// imported once: the size reference for our cookie bytes, and jose's own speed on this machine.
import { CompactEncrypt, compactDecrypt } from 'jose';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function josePlain() {
  const key = await crypto.subtle.importKey(
    'raw',
    crypto.getRandomValues(new Uint8Array(32)),
    'AES-GCM',
    false,
    ['encrypt', 'decrypt'],
  );
  const header = { alg: 'dir', enc: 'A256GCM' };
  return {
    name: 'jose dir+A256GCM (payload only)',
    reference: true,
    seal: (data) =>
      new CompactEncrypt(encoder.encode(JSON.stringify(data)))
        .setProtectedHeader(header)
        .encrypt(key),
    unseal: async (token) =>
      JSON.parse(decoder.decode((await compactDecrypt(token, key)).plaintext)),
    payloadOf: (opened) => opened,
  };
}

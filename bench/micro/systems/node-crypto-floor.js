// Floor: synchronous node:crypto AES-256-GCM, JSON and base64url; no thread-pool hop at all.
// Token: `<iv>.<ciphertext>.<tag>`.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export async function nodeCryptoFloor() {
  const key = randomBytes(32);
  return {
    name: 'node:crypto floor',
    floor: true,
    seal(data) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
      return `${iv.toString('base64url')}.${ct.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
    },
    unseal(token) {
      const [iv, ct, tag] = token.split('.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(ct, 'base64url')),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8'));
    },
    payloadOf: (opened) => opened,
  };
}

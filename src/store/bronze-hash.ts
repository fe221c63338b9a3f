import { hash } from 'node:crypto';

/**
 * A product's bronze hash: SHA-1 of its JSON text (as UTF-8), in base64url. Reloads compare it,
 * so it never changes. The one-shot hash is several times faster than createHash for short inputs.
 */
export function hashOf(json: string | Uint8Array): string {
  return hash('sha1', json, 'base64url');
}

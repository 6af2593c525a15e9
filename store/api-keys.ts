/**
 * API keys as they are stored: a key is shown once when issued and kept only as its SHA-256 hash, which the API
 * compares on each request and the worker's seed writes for the dev stack's keys.
 */
import { createHash, randomBytes } from 'node:crypto';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newApiKey(): { id: string; key: string } {
  return { id: randomBytes(8).toString('hex'), key: `xf_${randomBytes(24).toString('base64url')}` };
}

// Webhook signatures per the Standard Webhooks scheme: HMAC-SHA256 over "id.timestamp.body"
// with the base64-decoded part of a `whsec_` secret, sent as `v1,<base64>`.
import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
/** Standard Webhooks asks for 24 to 64 random bytes. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** A new random secret, `whsec_` and 32 bytes in base64. */
export function generateSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The key bytes of a `whsec_` secret, or an error saying what is wrong with it and how to fix it. */
export function secretKey(secret: string): Buffer {
  const fix = 'Fix: use `whsec_` followed by 24 to 64 random bytes in base64 (e.g. `echo whsec_$(openssl rand -base64 32)`)';
  if (!secret.startsWith(PREFIX)) throw new Error(`the webhook secret does not start with "${PREFIX}". ${fix}`);
  const encoded = secret.slice(PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new Error(`the webhook secret is not ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes of base64 after "${PREFIX}". ${fix}`);
  }
  return key;
}

/** The `webhook-signature` header value for one message. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

// The read token: every route that reads or erases answers needs `Authorization: Bearer <token>`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HttpError } from './http';

/** Shorter tokens are refused at start: a guessable token is no access control. */
export const MIN_TOKEN_LENGTH = 16;

/** A new read token: 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Checks `Authorization` headers against the token. Both sides are hashed first, so the
 * comparison takes the same time whatever the given value's length or content.
 */
export function tokenChecker(token: string): (header: string | undefined) => void {
  if (token.length < MIN_TOKEN_LENGTH)
    throw new RangeError(`the read token is ${token.length} characters, expected at least ${MIN_TOKEN_LENGTH}`);
  const expected = digest(token);
  const challenge = { 'WWW-Authenticate': 'Bearer realm="moodpoint"' };
  return (header) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    if (!match) {
      throw new HttpError(
        401,
        { error: 'a read token is needed: send Authorization: Bearer <token>' },
        { log: 'no read token', headers: challenge },
      );
    }
    if (!timingSafeEqual(digest(match[1]!), expected)) {
      throw new HttpError(401, { error: 'the read token is not valid' }, { log: 'wrong read token', headers: challenge });
    }
  };
}

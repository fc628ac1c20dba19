import { bodyTooLarge } from '../../errors';
import { malformed } from './event-fields';

const EMPTY = Buffer.alloc(0);

/**
 * The request body as bytes. Base64 is decoded straight to bytes, never through a UTF-8 string
 * (lambda-api and Powertools `createBody` corrupt binary uploads that way). The limit applies to
 * the decoded bytes and is checked before decoding, from the base64 length, so an oversized body
 * costs nothing; a body that is not valid base64 makes the event malformed instead of being
 * silently truncated by Node's lenient decoder.
 */
export function eventBody(body: unknown, isBase64Encoded: unknown, limit: number): Buffer {
  if (body === undefined || body === null || body === '') return EMPTY;
  if (typeof body !== 'string') throw malformed('body is not a string');
  if (isBase64Encoded === true) {
    const size = base64DecodedLength(body);
    if (size > limit) throw bodyTooLarge(limit);
    const bytes = Buffer.from(body, 'base64');
    if (bytes.length !== size) throw malformed('body is not valid base64');
    return bytes;
  }
  // UTF-8 never takes fewer bytes than UTF-16 code units: a long string is over the limit as is.
  if (body.length > limit) throw bodyTooLarge(limit);
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length > limit) throw bodyTooLarge(limit);
  return bytes;
}

/**
 * The byte length `text` decodes to if it is well-formed base64 (padding optional). Node's
 * decoder skips characters outside the alphabet, so a mismatch with the decoded length reveals
 * a malformed body; -1 for a length no base64 text can have.
 */
export function base64DecodedLength(text: string): number {
  const length = text.length;
  if (length % 4 === 1) return -1;
  let padding = 0;
  if (text.charCodeAt(length - 1) === 61 /* = */) padding = text.charCodeAt(length - 2) === 61 ? 2 : 1;
  if (padding > 0 && length % 4 !== 0) return -1;
  return Math.floor((length * 3) / 4) - padding;
}

import { ErrorCodes, requestError, type HttpError } from '../../errors';

/**
 * How many pieces ('data' events: chunks of a chunked body, or socket reads) a body may arrive
 * in. node spends 1–3 µs on each, so a 6 MB body sent as 1-byte chunks cost 6–18 s of CPU
 * (bench: `npm run bench:adversarial`); 32,768 pieces cost under 0.1 s, and an honest client needs
 * only an average piece of 192 bytes to send 6 MB (a network segment is ~1,400). Larger limits
 * allow more.
 */
export function maxBodyPieces(limit: number): number {
  return Math.max(32_768, Math.ceil(limit / 512));
}

/** The 413 for a body that arrived in more than `maxPieces` pieces. */
export function tooManyPieces(maxPieces: number): HttpError {
  return requestError(ErrorCodes.BODY_TOO_LARGE, `The request body arrived in more than ${maxPieces} pieces.`);
}

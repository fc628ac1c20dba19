import { ErrorCodes, requestError, type HttpError } from '../../errors';

/**
 * How many pieces ('data' events: chunks of a chunked body, or socket reads) a body may arrive
 * in. node spends 1–3 µs on each, so a 6 MB body sent as 1-byte chunks cost 6–18 s of CPU;
 * 32,768 pieces still cost 110–118 ms (bench: `npm run bench:adversarial`, "body in 1-byte
 * chunks"), 16,384 about half. An honest client needs only an average piece of 384 bytes to send
 * 6 MB (a network segment is ~1,400). Larger limits allow more.
 */
export function maxBodyPieces(limit: number): number {
  return Math.max(16_384, Math.ceil(limit / 384));
}

/** The 413 for a body that arrived in more than `maxPieces` pieces. */
export function tooManyPieces(maxPieces: number): HttpError {
  return requestError(ErrorCodes.BODY_TOO_LARGE, `The request body arrived in more than ${maxPieces} pieces.`);
}

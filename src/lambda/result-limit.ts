/**
 * Lambda's synchronous response limit: 6 MB of JSON envelope, base64 included; the runtime's
 * own error names it ("Exceeded maximum allowed payload size (6291556 bytes)"). Past it the
 * client gets an opaque 502 (DataBiosphere/azul#6514, aws-lambda-dotnet#1815).
 */
export const LAMBDA_RESULT_LIMIT = 6_291_556;
/** ALB: "The maximum size of the response JSON that the Lambda function can send is 1 MB" (ELB docs). */
export const ALB_RESULT_LIMIT = 1_048_576;

/** Room left for everything but the body: headers, status, JSON punctuation. */
const ENVELOPE_ALLOWANCE = 64 * 1024;

/**
 * Whether `result` serializes within `limit` bytes. A JSON string takes at most 6 bytes per
 * UTF-16 unit (`\u001f`), so a body well below the limit is accepted without serializing; near
 * the limit the result is measured exactly.
 */
export function fitsResultLimit(result: { body: string }, limit: number): boolean {
  const length = result.body.length;
  if (length > limit) return false;
  if (length * 6 + ENVELOPE_ALLOWANCE <= limit) return true;
  return Buffer.byteLength(JSON.stringify(result), 'utf8') <= limit;
}

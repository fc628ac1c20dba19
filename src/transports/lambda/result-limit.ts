/**
 * Lambda's synchronous response limit: 6 MB of JSON envelope, base64 included; the runtime's
 * own error names it ("Exceeded maximum allowed payload size (6291556 bytes)"). Past it the
 * client gets an opaque 502 (DataBiosphere/azul#6514, aws-lambda-dotnet#1815).
 */
export const LAMBDA_RESULT_LIMIT = 6_291_556;
/** ALB: "The maximum size of the response JSON that the Lambda function can send is 1 MB" (ELB docs). */
export const ALB_RESULT_LIMIT = 1_048_576;

/**
 * Whether `result` serializes (`JSON.stringify`, UTF-8) within `limit` bytes, exactly, without
 * serializing the body where arithmetic suffices (this runs on every response, and the body is
 * nearly all of it). The result's JSON is the envelope (the result with `""` for its body) plus
 * the body's characters as a JSON string escapes them:
 *
 * - base64 is never escaped: the body's length, exactly;
 * - text takes from its UTF-8 length (a lone surrogate's 3 bytes included) up to 6 bytes per
 *   UTF-16 unit (`\u001f`): past the lower bound it is over, under the upper one it fits, and
 *   only in between, near the limit, is the body serialized to count its escapes.
 */
export function fitsResultLimit(result: { body: string; isBase64Encoded: boolean }, limit: number): boolean {
  const body = result.body;
  if (body.length > limit) return false;
  // Every byte but the body's characters: the other fields, the punctuation, the body's quotes.
  const envelope = Buffer.byteLength(JSON.stringify({ ...result, body: '' }), 'utf8');
  if (result.isBase64Encoded) return envelope + body.length <= limit;
  if (envelope + body.length * 6 <= limit) return true;
  if (envelope + Buffer.byteLength(body, 'utf8') > limit) return false;
  return envelope + Buffer.byteLength(JSON.stringify(body), 'utf8') - 2 <= limit;
}

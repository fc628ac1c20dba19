import { isBodylessStatus } from '../http/payload';

/** The platform a result is read as. */
export type ResultPlatform = 'rest-api' | 'http-api' | 'function-url' | 'alb-single' | 'alb-multi' | 'lattice';

/** What the client receives once the platform has turned a Lambda result into HTTP. */
export interface ClientView {
  statusCode: number;
  /** Lower-case names; a repeated header is an array; `set-cookie` is in `cookies`. */
  headers: Record<string, string | string[]>;
  cookies: string[];
  body: string;
  rawBody: Buffer;
}

/**
 * Reads a Lambda result the way `platform` does, and throws where it would answer 502 instead:
 * a non-integer status, a non-string header value or body, a `cookies` key on a REST API. Only the
 * header map the platform reads is used (ALB ignores the other one), and a base64 body is decoded
 * (for a REST API that assumes `binaryMediaTypes` match the request's `Accept`).
 *
 * `result` is `unknown` because checking it is the point: any handler's result is accepted
 * (crest's own, or @types/aws-lambda's `APIGatewayProxyResult`, `APIGatewayProxyResultV2`,
 * `ALBResult`…). HTTP APIs and Function URLs accept a string or a result without `statusCode`
 * too, and send it as a 200 JSON body (`APIGatewayProxyResultV2`'s `string` case).
 *
 * @example const view = readLambdaResult(await handler(restApiEvent({ url: '/' }), lambdaContext()), 'rest-api');
 */
export function readLambdaResult(result: unknown, platform: ResultPlatform): ClientView {
  const inferred = platform === 'http-api' || platform === 'function-url' ? inferredV2Result(result) : undefined;
  if (inferred !== undefined) return readLambdaResult(inferred, platform);
  if (typeof result !== 'object' || result === null) throw new Error('502: the result is not an object');
  const fields = result as Record<string, unknown>;
  const statusCode = fields.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode))
    throw new Error('502: statusCode is not an integer');
  if (fields.body !== undefined && typeof fields.body !== 'string') throw new Error('502: body is not a string');
  if (platform === 'rest-api' && fields.cookies !== undefined)
    throw new Error('502: a REST API result has no cookies key');
  if ((platform === 'alb-single' || platform === 'alb-multi') && typeof fields.statusDescription !== 'string') {
    throw new Error('502: an ALB result needs a statusDescription');
  }
  const lists = Object.create(null) as Record<string, string[]>;
  const add = (name: string, value: unknown): void => {
    if (typeof value !== 'string') throw new Error(`502: header ${name} has a non-string value`);
    (lists[name.toLowerCase()] ??= []).push(value);
  };
  const readSingle = platform !== 'alb-multi';
  const readMulti = platform === 'rest-api' || platform === 'alb-multi';
  if (readSingle && fields.headers !== undefined && fields.headers !== null) {
    for (const [name, value] of Object.entries(fields.headers as Record<string, unknown>)) {
      if (platform === 'lattice' && Array.isArray(value)) for (const item of value) add(name, item);
      else add(name, value);
    }
  }
  if (readMulti && fields.multiValueHeaders !== undefined && fields.multiValueHeaders !== null) {
    for (const [name, values] of Object.entries(fields.multiValueHeaders as Record<string, unknown>)) {
      if (!Array.isArray(values)) throw new Error(`502: multiValueHeaders.${name} is not an array`);
      for (const value of values) add(name, value);
    }
  }
  const cookies = lists['set-cookie'] ?? [];
  delete lists['set-cookie'];
  if ((platform === 'http-api' || platform === 'function-url') && fields.cookies !== undefined) {
    if (!Array.isArray(fields.cookies)) throw new Error('502: cookies is not an array');
    for (const cookie of fields.cookies) {
      if (typeof cookie !== 'string') throw new Error('502: cookies holds a non-string');
      cookies.push(cookie);
    }
  }
  const text = fields.body ?? '';
  const rawBody = fields.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  const headers = Object.create(null) as Record<string, string | string[]>;
  for (const name of Object.keys(lists)) headers[name] = lists[name]!.length === 1 ? lists[name]![0]! : lists[name]!;
  // The platform computes the length of what it sends, and sends none where RFC 9110 §8.6 forbids it.
  if (!isBodylessStatus(statusCode)) headers['content-length'] = String(rawBody.length);
  return { statusCode, headers, cookies, body: rawBody.toString('utf8'), rawBody };
}

/**
 * Payload 2.0's reading of a result that is a string, or JSON with no `statusCode`: status 200,
 * `content-type: application/json` and the result as the body (AWS docs, "Lambda function
 * response for format 2.0"; the Function URL docs say the same).
 */
function inferredV2Result(result: unknown): Record<string, unknown> | undefined {
  const headers = { 'content-type': 'application/json' };
  if (typeof result === 'string') return { statusCode: 200, headers, body: result, isBase64Encoded: false };
  if (typeof result === 'object' && result !== null && !('statusCode' in result)) {
    return { statusCode: 200, headers, body: JSON.stringify(result), isBase64Encoded: false };
  }
  return undefined;
}

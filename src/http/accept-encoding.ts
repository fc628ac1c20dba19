/** The content codings crest can produce, with node:zlib. */
export type ContentCoding = 'br' | 'gzip' | 'deflate';

export const CONTENT_CODINGS: readonly ContentCoding[] = ['br', 'gzip', 'deflate'];

/** What a request's `Accept-Encoding` allows, for the codings a server offers. */
export interface EncodingChoice {
  /** The coding to send, or `undefined` for none (identity). */
  coding: ContentCoding | undefined;
  /** The client refused an uncompressed answer (`identity;q=0`, or `*;q=0` without `identity`). */
  identityRefused: boolean;
}

const IDENTITY: EncodingChoice = Object.freeze({ coding: undefined, identityRefused: false });

/**
 * Picks a content coding as RFC 9110 §12.5.3 says: a coding is acceptable when it is listed, or
 * `*` is, with a q-value above 0; the highest q-value wins and, between equals, the first coding
 * of `offered` (the server's preference: brotli compresses JSON better than gzip at a similar
 * cost). `identity` wins only when the client ranks it above every acceptable coding; it is
 * acceptable unless excluded. No header means no preference: crest then sends no coding, as
 * clients that decompress say so (and RFC 9110 warns a client may not cope). An empty header
 * means "no coding". `x-gzip` is `gzip` (§8.4.1.3). Entries with a malformed q-value are
 * ignored. Linear in the header's length.
 */
export function negotiateEncoding(header: string | undefined, offered: readonly ContentCoding[]): EncodingChoice {
  if (header === undefined || header === '') return IDENTITY;
  const weights = parseAcceptEncoding(header);
  const any = weights.get('*');
  let best: ContentCoding | undefined;
  let bestWeight = 0;
  for (const coding of offered) {
    const weight = weights.get(coding) ?? any ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  const identity = weights.get('identity') ?? any;
  const identityRefused = identity === 0;
  if (best === undefined || (identity !== undefined && identity > bestWeight)) {
    return identityRefused ? { coding: undefined, identityRefused } : IDENTITY;
  }
  return { coding: best, identityRefused };
}

/**
 * The q-value of each listed coding (lower-case names; the first entry of a repeated name
 * counts). `coding *( OWS ";" OWS name=value )`, entries separated by commas.
 */
function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const entry of header.split(',')) {
    const semicolon = entry.indexOf(';');
    let name = (semicolon === -1 ? entry : entry.slice(0, semicolon)).trim().toLowerCase();
    if (name === '') continue;
    if (name === 'x-gzip') name = 'gzip';
    const weight = semicolon === -1 ? 1 : qValue(entry.slice(semicolon + 1));
    if (weight !== undefined && !weights.has(name)) weights.set(name, weight);
  }
  return weights;
}

// RFC 9110 §12.4.2: `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** The `q` parameter among `params` (1 when absent), or `undefined` when it is malformed. */
function qValue(params: string): number | undefined {
  for (const param of params.split(';')) {
    const equals = param.indexOf('=');
    if (equals === -1 || param.slice(0, equals).trim().toLowerCase() !== 'q') continue;
    const value = param.slice(equals + 1).trim();
    return QVALUE.test(value) ? Number(value) : undefined;
  }
  return 1;
}

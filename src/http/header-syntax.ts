/**
 * The syntax of header values crest writes back or relies on. A client's bytes reach a response
 * header only after one of these checks: node:http reads a request header as Latin-1 while Lambda
 * events carry UTF-8 text, so a value outside these grammars would be sent as different bytes, or
 * refused with a 500, depending on the transport.
 */

// RFC 9110 §5.6.2 tchar. Every quantifier below is unambiguous, so each check is one linear pass.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 §5.6.1 `#token`: tokens separated by commas and optional whitespace; empty elements
// are allowed, as recipients must accept them.
const TOKEN_LIST = /^[\t ]*(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+[\t ]*)?(?:,[\t ]*(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+[\t ]*)?)*$/;
// RFC 6454 §6.2 (what browsers send, Fetch §3.1): `null`, or scheme "://" host [":" port], ASCII
// only; host a bracketed IP literal or RFC 3986 reg-name characters (a comma excluded: the value
// is written back as a single origin).
const SERIALIZED_ORIGIN =
  /^(?:null|[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+;=%]+)(?::[0-9]{1,5})?)$/;

/** An RFC 9110 token: a header name, a method, a media type's parts. */
export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** A comma-separated list of tokens, as `Access-Control-Request-Headers` must be. */
export function isTokenList(text: string): boolean {
  return TOKEN_LIST.test(text);
}

/** An `Origin` value a browser can send: `https://app.example`, `http://[::1]:8080`, `null`. */
export function isSerializedOrigin(text: string): boolean {
  return SERIALIZED_ORIGIN.test(text);
}

/**
 * Whether a field value holds a comma outside a quoted-string (RFC 9110 §5.6.4): a singleton field
 * such as `Content-Type` that does was sent twice and joined by a proxy or the platform (HTTP API
 * joins repeats with `,`), or lists several values where one is allowed.
 */
export function hasListSeparator(value: string): boolean {
  if (value.indexOf(',') === -1) return false;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (quoted) {
      if (code === 92 /* \ */) i++;
      else if (code === 34 /* " */) quoted = false;
    } else if (code === 34) {
      quoted = true;
    } else if (code === 44 /* , */) {
      return true;
    }
  }
  return false;
}

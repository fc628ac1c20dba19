import { parameterOf, parseHeaderParameters } from './header-parameters';

/**
 * The file name of a part whose Content-Disposition carries `filename*` (RFC 8187 ext-value):
 * `filename*` wins over `filename`, whichever comes first (RFC 6266 §4.3: recipients that
 * understand it prefer it). RFC 7578 §4.2 tells senders not to use it, but some do (urllib3 before
 * 2.0 wrote `filename*=utf-8''…` for every non-ASCII name), and a name that arrives must be read
 * the same whatever the order of its parameters.
 *
 * `header` is the raw header as the parser hands it over, one character per byte. Returns
 * `undefined` when the part has no `filename*` (busboy's reading of `filename` stands), the name
 * without directories otherwise; `filename*` that cannot be decoded (a charset other than UTF-8 or
 * ISO-8859-1, a `%` not followed by two hex digits, bytes that are not UTF-8) falls back to
 * `filename`, and with no `filename` the part is refused: `null`.
 */
export function extendedFileName(header: string): string | null | undefined {
  if (!/filename\*/i.test(header)) return undefined;
  const parsed = parseHeaderParameters(header);
  if (parsed === undefined) return null;
  const extended = parameterOf(parsed, 'filename*');
  if (extended === undefined) return undefined;
  const decoded = decodeExtValue(extended);
  if (decoded !== undefined) return withoutDirectories(decoded);
  const plain = parameterOf(parsed, 'filename');
  // Raw UTF-8, as browsers send it (HTML's multipart/form-data encoding algorithm).
  return plain === undefined ? null : withoutDirectories(Buffer.from(plain, 'latin1').toString('utf8'));
}

// RFC 8187 §3.2.1: charset "'" [ language ] "'" value-chars, value-chars = *( pct-encoded / attr-char ).
const EXT_VALUE = /^([A-Za-z0-9!#$%&+^_`{}~-]+)'[A-Za-z0-9-]*'((?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+.^_`|~-])*)$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeExtValue(value: string): string | undefined {
  const match = EXT_VALUE.exec(value);
  if (match === null) return undefined;
  const charset = match[1]!.toLowerCase();
  const bytes = Buffer.from(
    match[2]!.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
  // RFC 8187 §3.2.1: recipients support UTF-8 and ISO-8859-1; other charsets are not read.
  if (charset === 'iso-8859-1') return bytes.toString('latin1');
  if (charset !== 'utf-8') return undefined;
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** RFC 7578 §4.2: a file name's directories are not used; `.` and `..` are no names (as busboy reads them). */
function withoutDirectories(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  return base === '.' || base === '..' ? '' : base;
}

/** One part of a hand-built multipart/form-data body. */
export interface PartSpec {
  name?: string;
  /** The `filename` parameter as written (quoted); absent for a text field. */
  fileName?: string;
  /** Written as `filename*=UTF-8''…` (RFC 7578 §4.2 / RFC 5987), percent-encoded here. */
  fileNameStar?: string;
  contentType?: string;
  /**
   * The whole Content-Disposition value as written (`form-data; filename*=…; filename="…"`),
   * replacing name, fileName and fileNameStar; null sends the part without one.
   */
  disposition?: string | null;
  content: string | Buffer;
}

export const BOUNDARY = '----crest-test-boundary-7MA4YWxkTrZu0gW';

/** The Content-Type of a body built by {@link multipartBody}. */
export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/**
 * A multipart/form-data body as bytes (RFC 7578), built part by part so that tests control every
 * header byte: raw UTF-8 file names, `filename*`, content that is not UTF-8.
 */
export function multipartBody(parts: readonly PartSpec[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let disposition = 'form-data';
    if (part.name !== undefined) disposition += `; name="${part.name}"`;
    if (part.fileName !== undefined) disposition += `; filename="${part.fileName}"`;
    if (part.fileNameStar !== undefined) disposition += `; filename*=UTF-8''${encodeURIComponent(part.fileNameStar)}`;
    if (part.disposition !== undefined) disposition = part.disposition ?? '';
    let head = `--${boundary}\r\n`;
    if (part.disposition !== null) head += `content-disposition: ${disposition}\r\n`;
    if (part.contentType !== undefined) head += `content-type: ${part.contentType}\r\n`;
    // Header bytes as written: UTF-8, as browsers send names.
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** Bytes that are not UTF-8 (a Shift_JIS "日本" and a lone continuation byte). */
export const NOT_UTF8 = Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x80, 0xff, 0x00, 0x0d, 0x0a]);

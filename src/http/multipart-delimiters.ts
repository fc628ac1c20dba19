/**
 * Counts the delimiter lines (`CRLF--boundary`, RFC 2046 §5.1.1) of a multipart body as its bytes
 * arrive, including any after the closing one. The parser silently drops what it cannot read as a
 * part: a part without headers, or without Content-Disposition form-data, and everything after a
 * closing delimiter (the epilogue). A boundary inside a part's content (which RFC 2046 §5.1.1
 * forbids) produces exactly such pieces, so comparing this count with the parts the parser
 * reported tells a body it read whole from one it cut: a well-formed body with n parts has n + 1
 * delimiters.
 *
 * Hand-written because busboy reports neither skipped parts nor the epilogue; the search is
 * `Buffer.indexOf` (native), one pass over the body, keeping only the last bytes of a chunk for a
 * delimiter split between two.
 */
export class DelimiterCounter {
  /** Delimiters seen so far. */
  count = 0;
  private readonly delimiter: Buffer;
  /** The end of the bytes seen so far, shorter than a delimiter; a CRLF at first, as busboy reads a body. */
  private tail: Buffer = Buffer.from('\r\n');

  constructor(boundary: string) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  write(chunk: Buffer): void {
    const { delimiter } = this;
    const length = delimiter.length;
    // A delimiter cannot overlap itself (it starts with the only CR it holds: a boundary has no
    // CR), so matches are counted left to right without double counting.
    const joint = Buffer.concat([this.tail, chunk.subarray(0, length - 1)]);
    let resume = 0;
    for (
      let at = joint.indexOf(delimiter);
      at !== -1 && at < this.tail.length;
      at = joint.indexOf(delimiter, at + length)
    ) {
      this.count++;
      resume = at + length - this.tail.length;
    }
    for (let at = chunk.indexOf(delimiter, resume); at !== -1; at = chunk.indexOf(delimiter, at + length)) this.count++;
    const kept = Math.min(length - 1, this.tail.length + chunk.length);
    this.tail =
      chunk.length >= kept
        ? Buffer.from(chunk.subarray(chunk.length - kept))
        : Buffer.concat([this.tail, chunk]).subarray(-kept);
  }
}

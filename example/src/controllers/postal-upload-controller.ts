import { BadRequestError, Controller, Doc, Post, requestContext, ResponseSchema, UploadedFile } from 'crest';
import type { PostalStore } from '../store/postal-store';
import { batchLookup } from './batch-lookup';
import { BatchAnswer } from './postal-answers';

/** The most codes one CSV may ask for (a 7-digit code and a line break: 8 bytes each). */
const MAX_CODES = 1000;
const CODE = /^\d{3}-?\d{4}$/;

@Controller()
export class PostalUploadController {
  constructor(private readonly store: PostalStore) {}

  /**
   * `POST /api/postal_codes/upload` with a multipart form whose `codes` file is a CSV: the first
   * column of each line is a postal code (`1000001` or `100-0001`); other lines, such as a header,
   * are skipped. Answers the addresses of the codes found and lists those that do not exist.
   */
  @Post('/postal_codes/upload')
  @Doc({
    summary: 'Look up the postal codes of a CSV file',
    description:
      'The first column of each line of the `codes` file is a postal code (`1000001` or `100-0001`); other lines are skipped. Answers the addresses found and lists the codes that do not exist.',
    problems: { 400: 'More than 1,000 codes' },
  })
  @ResponseSchema(BatchAnswer)
  async upload(
    @UploadedFile('codes', { required: true, maxFileSize: 64 * 1024, contentTypes: ['text/csv', 'text/plain'] })
    csv: UploadedFile,
  ): Promise<BatchAnswer> {
    const codes = new Set<string>();
    for (const line of csv.bytes.toString('utf8').split(/\r?\n/)) {
      const first = line
        .split(',', 1)[0]!
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (CODE.test(first)) codes.add(first.replace('-', ''));
    }
    if (codes.size > MAX_CODES) throw new BadRequestError(`The file holds more than ${MAX_CODES} postal codes.`);
    const answer = await batchLookup(this.store, [...codes]);
    // An audit line, with the request id the context's logger adds.
    requestContext()?.logger.info(
      { file: csv.fileName, codes: codes.size, missing: answer.missing.length },
      'postal codes uploaded',
    );
    return answer;
  }
}

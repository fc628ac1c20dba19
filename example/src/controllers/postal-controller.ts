import { Controller, Doc, Get, HttpRequest, HttpResponse, NotFoundError, Query, Req, ResponseSchema } from 'crest';
import { STORE_UNAVAILABLE } from '../store/guard-store';
import type { PostalStore } from '../store/postal-store';
import { batchLookup } from './batch-lookup';
import { BatchAnswer, LookupAnswer, LookupCountAnswer, SearchAnswer } from './postal-answers';
import { BatchQuery, ExportQuery, LookupQuery, SearchQuery } from './postal-queries';

const EXPORT_PAGE = 1000;

@Controller()
@Doc({ problems: { 503: STORE_UNAVAILABLE } })
export class PostalController {
  constructor(private readonly store: PostalStore) {}

  /** `GET /api/postal_code?code=1000001` */
  @Get('/postal_code')
  @Doc({
    summary: 'The addresses of a postal code',
    description: 'Every address a 7-digit code stands for: usually one, up to 66.',
    parameters: { code: { description: 'Seven digits, no hyphen.', example: '1000001' } },
    problems: { 404: { description: 'No address has this postal code.', codes: ['UNKNOWN_POSTAL_CODE'] } },
  })
  @ResponseSchema(LookupAnswer)
  async lookup(@Query() { code }: LookupQuery, @Req() req: HttpRequest): Promise<LookupAnswer> {
    const addresses = await this.store.lookup(code);
    if (addresses === undefined) {
      throw new NotFoundError(`No address has the postal code ${code}.`, { code: 'UNKNOWN_POSTAL_CODE' });
    }
    // Counting is not the client's business: the answer goes out without waiting for the write
    // (on a buffered Lambda handler it still finishes before the invocation returns). A failed
    // count is logged with the request id and changes nothing in the answer.
    req.waitUntil(this.store.countLookup(code));
    return { code, addresses };
  }

  /** `GET /api/postal_code/lookups?code=1000001`: how often the lookup route answered the code. */
  @Get('/postal_code/lookups')
  @Doc({
    summary: 'How many times a postal code was looked up',
    description: 'Counted after each answer of `GET /postal_code` that found the code; 0 for a code never answered.',
    parameters: { code: { description: 'Seven digits, no hyphen.', example: '1000001' } },
  })
  @ResponseSchema(LookupCountAnswer)
  async lookups(@Query() { code }: LookupQuery): Promise<LookupCountAnswer> {
    return { code, lookups: await this.store.lookupCount(code) };
  }

  /** `GET /api/postal_codes?prefix=100&limit=20&cursor=…`: codes in order, a page at a time. */
  @Get('/postal_codes')
  @Doc({
    summary: 'Postal codes by prefix, a page at a time',
    description: 'Codes in order; pass `nextCursor` as `cursor` for the next page. It is null on the last one.',
    parameters: {
      prefix: { description: 'The first 1 to 7 digits.', example: '100' },
      limit: { description: 'Codes per page.', example: 20 },
      cursor: { description: "The previous page's `nextCursor`.", example: '1000020' },
    },
  })
  @ResponseSchema(SearchAnswer)
  async search(@Query() { prefix, limit, cursor }: SearchQuery): Promise<SearchAnswer> {
    const page = await this.store.searchPrefix({ prefix, limit, after: cursor });
    return { prefix, items: page.entries, nextCursor: page.nextCursor ?? null };
  }

  /**
   * `GET /api/postal_codes/export?prefix=13`: every code under the prefix as NDJSON, read and
   * sent a page at a time (chunked locally, streamed by the Function URL's streaming handler).
   */
  @Get('/postal_codes/export')
  @Doc({
    summary: 'Every postal code under a prefix, streamed as NDJSON',
    description: 'Read and sent a page at a time: chunked locally, streamed by a Function URL.',
    parameters: { prefix: { description: 'The first 1 to 7 digits.', example: '13' } },
  })
  @ResponseSchema(LookupAnswer, {
    mediaType: 'application/x-ndjson',
    description: 'One LookupAnswer per line, in code order.',
  })
  export(@Query() { prefix }: ExportQuery): HttpResponse {
    const store = this.store;
    async function* lines(): AsyncGenerator<string> {
      let after: string | undefined;
      do {
        const page = await store.searchPrefix({ prefix, after, limit: EXPORT_PAGE });
        yield page.entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
        after = page.nextCursor;
      } while (after !== undefined);
    }
    return HttpResponse.stream(lines(), { headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } });
  }

  /** `GET /api/postal_codes/batch?code=1000001&code=1600023`: several lookups, one round trip. */
  @Get('/postal_codes/batch')
  @Doc({
    summary: 'Several postal codes in one request',
    description: 'The codes found, and those that do not exist, in one round trip.',
    parameters: { code: { description: 'Up to 50 codes, the key repeated.', example: ['1000001', '1600023'] } },
  })
  @ResponseSchema(BatchAnswer)
  async batch(@Query() query: BatchQuery): Promise<BatchAnswer> {
    return batchLookup(this.store, [...new Set(query.code)]);
  }
}

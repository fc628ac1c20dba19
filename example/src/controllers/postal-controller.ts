import { Controller, Get, HttpResponse, NotFoundError, Query, ResponseSchema } from 'crest';
import type { PostalStore } from '../store/postal-store';
import { batchLookup } from './batch-lookup';
import { BatchAnswer, LookupAnswer, SearchAnswer } from './postal-answers';
import { BatchQuery, ExportQuery, LookupQuery, SearchQuery } from './postal-queries';

const EXPORT_PAGE = 1000;

@Controller()
export class PostalController {
  constructor(private readonly store: PostalStore) {}

  /** `GET /api/postal_code?code=1000001` */
  @Get('/postal_code')
  @ResponseSchema(LookupAnswer)
  async lookup(@Query() { code }: LookupQuery): Promise<LookupAnswer> {
    const addresses = await this.store.lookup(code);
    if (addresses === undefined) {
      throw new NotFoundError(`No address has the postal code ${code}.`, { code: 'UNKNOWN_POSTAL_CODE' });
    }
    return { code, addresses };
  }

  /** `GET /api/postal_codes?prefix=100&limit=20&cursor=…`: codes in order, a page at a time. */
  @Get('/postal_codes')
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
  @ResponseSchema(BatchAnswer)
  async batch(@Query() query: BatchQuery): Promise<BatchAnswer> {
    return batchLookup(this.store, [...new Set(query.code)]);
  }
}

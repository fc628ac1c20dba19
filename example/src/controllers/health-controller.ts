import { Controller, Get, ServiceUnavailableError } from 'crest';
import type { PostalStore, StoreStatus } from '../store/postal-store';

@Controller()
export class HealthController {
  constructor(private readonly store: PostalStore) {}

  /** `GET /api/health`: 200 with the store's size, or 503 when the store cannot answer or is empty. */
  @Get('/health')
  async health(): Promise<StoreStatus & { status: 'ok' }> {
    const status = await this.store.status();
    if (status.codes === 0) {
      throw new ServiceUnavailableError('The postal-code store is empty; run npm run example:load-redis.', {
        code: 'STORE_EMPTY',
      });
    }
    return { status: 'ok', ...status };
  }
}

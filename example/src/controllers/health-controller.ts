import { Controller, Get, ServiceUnavailableError } from 'crest';
import type { PostalStore, StoreStatus } from '../store/postal-store';

@Controller()
export class HealthController {
  constructor(private readonly store: PostalStore) {}

  /** `GET /api/health`: 200 with the store's size, or 503 when the store cannot answer or is empty. */
  @Get('/health')
  async health(): Promise<StoreStatus & { status: 'ok' }> {
    let status: StoreStatus;
    try {
      status = await this.store.status();
    } catch (error) {
      throw new ServiceUnavailableError('The postal-code store is not reachable.', {
        code: 'STORE_UNAVAILABLE',
        cause: error,
      });
    }
    if (status.codes === 0) {
      throw new ServiceUnavailableError('The postal-code store is empty; run npm run example:load-redis.', {
        code: 'STORE_EMPTY',
      });
    }
    return { status: 'ok', ...status };
  }
}

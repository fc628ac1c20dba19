import { IsIn, IsInt, Min } from 'class-validator';
import { Controller, Doc, Get, ResponseSchema, ServiceUnavailableError } from 'crest';
import { STORE_UNAVAILABLE } from '../store/guard-store';
import type { PostalStore, StoreStatus } from '../store/postal-store';

/** `GET /api/health`: the store answers, and holds this many codes. */
export class HealthAnswer {
  @IsIn(['ok']) status!: 'ok';
  @IsIn(['embedded', 'redis']) store!: StoreStatus['store'];
  @IsInt() @Min(1) codes!: number;
}

@Controller()
export class HealthController {
  constructor(private readonly store: PostalStore) {}

  /** `GET /api/health`: 200 with the store's size, or 503 when the store cannot answer or is empty. */
  @Get('/health')
  @Doc({
    summary: 'Whether the store answers, and its size',
    description: 'A 503 when the store cannot answer or is empty, so a load balancer takes the target out.',
    problems: {
      503: {
        description: 'The store is not reachable, or holds no postal codes (Redis not loaded).',
        codes: [...STORE_UNAVAILABLE.codes, 'STORE_EMPTY'],
      },
    },
  })
  @ResponseSchema(HealthAnswer)
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

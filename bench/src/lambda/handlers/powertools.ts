import { createPowertoolsRouter } from '../../apps/powertools';
import type { LambdaHandler } from './types';

export async function createHandler(): Promise<LambdaHandler> {
  const app = createPowertoolsRouter();
  return (event, context) => app.resolve(event, context as never);
}

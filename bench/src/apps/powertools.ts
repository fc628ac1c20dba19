import { Router } from '@aws-lambda-powertools/event-handler/http';
import { EXTRA_ROUTES, extraAnswer, isEchoInput } from '../workload';

/** Powertools for AWS Lambda event-handler (HTTP router): POST /echo checked by hand. */
export function createPowertoolsRouter(): Router {
  const app = new Router();
  for (const route of EXTRA_ROUTES) {
    if (route.hasParam) app.get(route.path as `/${string}`, ({ params }) => extraAnswer(route.index, params.id));
    else app.get(route.path as `/${string}`, () => extraAnswer(route.index));
  }
  app.get('/hello', () => ({ hello: 'world' }));
  app.get('/users/:id', ({ params }) => ({ id: params.id! }));
  app.get('/search', ({ req }) => {
    const query = new URL(req.url).searchParams;
    return { q: query.get('q'), tags: query.getAll('tag') };
  });
  app.post('/echo', async ({ req }) => {
    const input: unknown = await req.json();
    if (isEchoInput(input)) return { name: input.name, age: input.age };
    return new Response(JSON.stringify({ error: 'invalid input' }), {
      status: 400,
      headers: { 'content-type': 'application/json' },
    });
  });
  return app;
}

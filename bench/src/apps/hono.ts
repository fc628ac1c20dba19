import { Hono } from 'hono';
import { EXTRA_ROUTES, extraAnswer, isEchoInput } from '../workload';
import { postalAnswer, loadPostalData } from './postal';

/** hono: POST /echo checked by hand (no validator middleware). */
export function createHonoApp(options: { postal?: boolean } = {}): Hono {
  const app = new Hono();
  for (const route of EXTRA_ROUTES) {
    if (route.hasParam) app.get(route.path, (c) => c.json(extraAnswer(route.index, c.req.param('id'))));
    else app.get(route.path, (c) => c.json(extraAnswer(route.index)));
  }
  app.get('/hello', (c) => c.json({ hello: 'world' }));
  app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/search', (c) => c.json({ q: c.req.query('q'), tags: c.req.queries('tag') ?? [] }));
  app.post('/echo', async (c) => {
    const input: unknown = await c.req.json();
    return isEchoInput(input) ? c.json(input) : c.json({ error: 'invalid input' }, 400);
  });
  if (options.postal) {
    loadPostalData();
    app.get('/postal_code', (c) => {
      const [status, body] = postalAnswer(c.req.query('code'));
      return c.json(body, status as 200);
    });
  }
  return app;
}

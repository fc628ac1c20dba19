import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { EXTRA_ROUTES, extraAnswer, isEchoInput } from '../workload';
import { postalAnswer, loadPostalData } from './postal';

/** koa + @koa/router + @koa/bodyparser on POST /echo, checked by hand. */
export function createKoaApp(options: { postal?: boolean } = {}): Koa {
  const app = new Koa();
  const router = new Router();
  for (const route of EXTRA_ROUTES) {
    if (route.hasParam) router.get(route.path, (ctx) => void (ctx.body = extraAnswer(route.index, ctx.params.id)));
    else router.get(route.path, (ctx) => void (ctx.body = extraAnswer(route.index)));
  }
  router.get('/hello', (ctx) => void (ctx.body = { hello: 'world' }));
  router.get('/users/:id', (ctx) => void (ctx.body = { id: ctx.params.id }));
  router.get('/search', (ctx) => {
    const tag = ctx.query.tag;
    ctx.body = { q: ctx.query.q, tags: tag === undefined ? [] : Array.isArray(tag) ? tag : [tag] };
  });
  router.post('/echo', bodyParser(), (ctx) => {
    const input: unknown = ctx.request.body;
    if (isEchoInput(input)) ctx.body = input;
    else {
      ctx.status = 400;
      ctx.body = { error: 'invalid input' };
    }
  });
  if (options.postal) {
    loadPostalData();
    router.get('/postal_code', (ctx) => {
      const [status, body] = postalAnswer(ctx.query.code);
      ctx.status = status;
      ctx.body = body;
    });
  }
  app.use(router.routes());
  return app;
}

import express, { type Express } from 'express';
import { EXTRA_ROUTES, extraAnswer, isEchoInput } from '../workload';
import { postalAnswer, loadPostalData } from './postal';

/** express 5: express.json() on POST /echo only, checked by hand. */
export function createExpressApp(options: { postal?: boolean } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  for (const route of EXTRA_ROUTES) {
    if (route.hasParam) app.get(route.path, (req, res) => res.json(extraAnswer(route.index, String(req.params.id))));
    else app.get(route.path, (_req, res) => res.json(extraAnswer(route.index)));
  }
  app.get('/hello', (_req, res) => res.json({ hello: 'world' }));
  app.get('/users/:id', (req, res) => res.json({ id: req.params.id }));
  app.get('/search', (req, res) => {
    const tag = req.query.tag;
    res.json({ q: req.query.q, tags: tag === undefined ? [] : Array.isArray(tag) ? tag : [tag] });
  });
  app.post('/echo', express.json(), (req, res) => {
    if (isEchoInput(req.body)) res.json(req.body);
    else res.status(400).json({ error: 'invalid input' });
  });
  if (options.postal) {
    loadPostalData();
    app.get('/postal_code', (req, res) => {
      const [status, body] = postalAnswer(req.query.code);
      res.status(status).json(body);
    });
  }
  // An explicit 404, as real apps have: serverless-express 4 crashes in express 5's finalhandler.
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  return app;
}

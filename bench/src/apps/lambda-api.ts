import createAPI, { type API, type Request, type Response } from 'lambda-api';
import { EXTRA_ROUTES, extraAnswer, isEchoInput } from '../workload';

/** lambda-api: POST /echo checked by hand (lambda-api has no validation layer). */
export function createLambdaApi(): API {
  const api = createAPI({ logger: false });
  for (const route of EXTRA_ROUTES) {
    if (route.hasParam)
      api.get(route.path, (req: Request, res: Response) => res.json(extraAnswer(route.index, req.params.id)));
    else api.get(route.path, (_req: Request, res: Response) => res.json(extraAnswer(route.index)));
  }
  api.get('/hello', (_req: Request, res: Response) => res.json({ hello: 'world' }));
  api.get('/users/:id', (req: Request, res: Response) => res.json({ id: req.params.id }));
  api.get('/search', (req: Request, res: Response) =>
    res.json({ q: req.query.q, tags: req.multiValueQuery.tag ?? [] }),
  );
  api.post('/echo', (req: Request, res: Response) => {
    if (isEchoInput(req.body)) res.json(req.body);
    else res.status(400).json({ error: 'invalid input' });
  });
  return api;
}

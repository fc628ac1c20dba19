import FindMyWay from 'find-my-way';
import { EXTRA_ROUTES, extraAnswer } from '../workload';
import { HANDLERS, type Handler, type Route } from './floor-lambda';

/**
 * The same routes on find-my-way, the router crest is built on: the floor with find-my-way
 * shows what the router alone costs (in cold starts especially).
 */
export function findMyWayRoutes(): Route {
  const router = FindMyWay();
  const on = (method: 'GET' | 'POST', path: string, handler: Handler) => router.on(method, path, noop, handler);
  for (const extra of EXTRA_ROUTES)
    on('GET', extra.path, (_q, _b, id) => [200, extraAnswer(extra.index, id || undefined)]);
  on('GET', '/hello', HANDLERS.hello);
  on('GET', '/users/:id', HANDLERS.user);
  on('GET', '/search', HANDLERS.search);
  on('POST', '/echo', HANDLERS.echo);
  return (method, path, query, body) => {
    const found = router.find(method as 'GET', path);
    if (found === null) return [404, { error: 'not found' }];
    return (found.store as Handler)(query, body, found.params.id ?? '');
  };
}

const noop = (): void => {};

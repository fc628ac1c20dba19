import { EXTRA_ROUTES, extraAnswer } from '../workload';

/**
 * Adds the fifty extra routes to a decorator framework's controller class, applying the
 * framework's own decorators exactly as tsc's emitted `__decorate` calls would (including
 * `design:paramtypes`), so fifty hand-written methods are not needed. The caller's framework
 * has loaded reflect-metadata (crest does it itself; the others import it first).
 */
export function addExtraRoutes(
  controller: new () => object,
  get: (path: string) => MethodDecorator,
  param: (name: string) => ParameterDecorator,
): void {
  const proto = controller.prototype as Record<string, unknown>;
  for (const route of EXTRA_ROUTES) {
    const key = `r${route.index}`;
    proto[key] = route.hasParam
      ? function (id: string) {
          return extraAnswer(route.index, id);
        }
      : function () {
          return extraAnswer(route.index);
        };
    const decorators: (MethodDecorator | PropertyDecorator)[] = route.hasParam
      ? [
          get(route.path),
          (target: object, name: string | symbol) => param('id')(target, name, 0),
          Reflect.metadata('design:paramtypes', [String]),
        ]
      : [get(route.path), Reflect.metadata('design:paramtypes', [])];
    Reflect.decorate(decorators, proto, key, Object.getOwnPropertyDescriptor(proto, key));
  }
}

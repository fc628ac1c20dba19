/** The variables the Lambda runtime sets that `isLambdaEnvironment()` reads. */
export const LAMBDA_ENV = { _HANDLER: 'index.handler', AWS_LAMBDA_FUNCTION_NAME: 'fn' };

/**
 * Within the enclosing `describe`, runs each test as in the Lambda runtime (process.env set, and
 * put back after each test); `outside()` puts it back early, for a comparison within one test.
 */
export function inLambdaEnvironment(): { outside(): void } {
  let saved: Record<string, string | undefined> = {};
  const outside = () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    saved = {};
  };
  beforeEach(() => {
    saved = Object.fromEntries(Object.keys(LAMBDA_ENV).map((name) => [name, process.env[name]]));
    Object.assign(process.env, LAMBDA_ENV);
  });
  afterEach(outside);
  return { outside };
}

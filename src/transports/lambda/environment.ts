import type { AppCore } from '../../core/core';

/** True inside AWS Lambda, where the exported handler serves and nothing may listen. */
export function isLambdaEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  // `_HANDLER` (the configured handler) is set for the runtime process only: a Lambda extension
  // runs beside it with the other AWS_LAMBDA_* variables and is not the runtime (Ridge checks
  // `_HANDLER` too). AWS_EXECUTION_ENV alone is also set on ECS and Fargate (AWS_ECS_FARGATE),
  // where run() must listen; its AWS_Lambda_ prefix is checked the same way.
  if (!env._HANDLER) return false;
  return Boolean(
    env.AWS_LAMBDA_FUNCTION_NAME || env.AWS_LAMBDA_RUNTIME_API || env.AWS_EXECUTION_ENV?.startsWith('AWS_Lambda_'),
  );
}

/**
 * Lambda sends SIGTERM to the runtime when the execution environment shuts down, if an
 * extension is registered, and allows it 500 ms ("Extensions API", Shutdown phase); without the
 * signal nothing runs. The hooks get 450 ms of it: the rest is the exit's.
 */
const LAMBDA_SHUTDOWN_BUDGET = 450;

const listening = new WeakSet<AppCore>();

/** In the Lambda runtime, runs the app's shutdown on SIGTERM, then exits (1 when a hook failed). */
export function shutdownOnSigterm(core: AppCore, env: NodeJS.ProcessEnv = process.env): void {
  if (!isLambdaEnvironment(env) || listening.has(core)) return;
  listening.add(core);
  process.once('SIGTERM', () => {
    void core.shutdown(LAMBDA_SHUTDOWN_BUDGET).then((ok) => process.exit(ok ? 0 : 1));
  });
}

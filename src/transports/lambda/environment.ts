import type { AppCore } from '../../core/core';
import { isLambdaEnvironment } from '../../environment';

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

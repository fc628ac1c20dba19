import { ErrorCodes } from '../errors';
import type { LifecycleLog } from './background';
import { describeError } from './logger';
import { now } from '../clock';

/** Cleanup to run before the process exits: close a pool, flush telemetry. */
export type ShutdownHook = () => unknown;

/**
 * The app's shutdown hooks, run in the order they were added, each awaited up to its timeout
 * (and never past the whole shutdown's budget, e.g. the 500 ms Lambda gives after SIGTERM).
 */
export class ShutdownHooks {
  private readonly hooks: ShutdownHook[] = [];

  constructor(
    private readonly log: LifecycleLog,
    private readonly hookTimeout: number,
  ) {}

  add(hook: ShutdownHook): void {
    if (typeof hook !== 'function') throw new TypeError('onShutdown takes a function.');
    this.hooks.push(hook);
  }

  /** Runs every hook; false when one threw or outlived its time. Never rejects. */
  async run(budget = Infinity): Promise<boolean> {
    const ends = now() + budget;
    let ok = true;
    for (const [index, hook] of this.hooks.entries()) {
      const timeout = Math.max(0, Math.min(this.hookTimeout, ends - now()));
      const outcome = await within(hook, timeout);
      if (outcome.kind === 'ok') continue;
      ok = false;
      if (outcome.kind === 'timeout') {
        this.log(
          'error',
          { code: ErrorCodes.SHUTDOWN_HOOK_TIMEOUT, hook: index, timeoutMs: Math.round(timeout) },
          'shutdown hook did not finish in time',
        );
      } else {
        this.log(
          'error',
          { code: ErrorCodes.SHUTDOWN_HOOK_FAILED, hook: index, err: describeError(outcome.error) },
          'shutdown hook failed',
        );
      }
    }
    return ok;
  }
}

type Outcome = { kind: 'ok' } | { kind: 'timeout' } | { kind: 'failed'; error: unknown };

/** The hook's outcome, or a timeout: a hook that hangs must not keep the process from exiting. */
function within(hook: ShutdownHook, timeout: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), timeout);
    const settle = (outcome: Outcome): void => {
      clearTimeout(timer);
      resolve(outcome);
    };
    try {
      Promise.resolve(hook()).then(
        () => settle({ kind: 'ok' }),
        (error: unknown) => settle({ kind: 'failed', error }),
      );
    } catch (error) {
      settle({ kind: 'failed', error });
    }
  });
}

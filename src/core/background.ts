import { ErrorCodes } from '../errors';
import type { HttpRequest } from '../http/request';
import { createJsonLogger, describeError, type Logger } from './logger';

export type LifecycleLog = (level: 'info' | 'warn' | 'error', fields: object, message: string) => void;

/**
 * The work requests handed to `waitUntil`, finished after their answer. Each request's work is
 * bounded by a time budget (the app's `waitUntilTimeout`, and on Lambda the invocation
 * deadline); a failure is logged with the request id and changes nothing else.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly log: LifecycleLog,
    private readonly budget: number,
  ) {}

  /**
   * Settles the work `req` registered (and any work that work registers in turn); undefined when
   * there is none, so a request without background work costs nothing more. Never rejects.
   */
  settle(req: HttpRequest): Promise<void> | undefined {
    const first = req.takePendingWork();
    if (first === undefined) return undefined;
    const settling = this.finish(req, first);
    this.running.add(settling);
    void settling.then(() => this.running.delete(settling));
    return settling;
  }

  /** Resolves once all work now running has settled (each is bounded by its budget). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async finish(req: HttpRequest, first: Array<Promise<unknown>>): Promise<void> {
    const budget = Math.max(0, Math.min(this.budget, req.timeLeft() ?? Infinity));
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<typeof EXPIRED>((resolve) => {
      timer = setTimeout(resolve, budget, EXPIRED);
    });
    try {
      for (let work: Array<Promise<unknown>> | undefined = first; work !== undefined; work = req.takePendingWork()) {
        const batch = Promise.all(
          work.map((promise) => promise.then(undefined, (error: unknown) => this.failed(req, error))),
        );
        if ((await Promise.race([batch, expired])) === EXPIRED) {
          this.log(
            'warn',
            { requestId: req.requestId, code: ErrorCodes.WAIT_UNTIL_TIMEOUT, budgetMs: Math.round(budget) },
            'waitUntil work still running when its time budget ended',
          );
          return;
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private failed(req: HttpRequest, error: unknown): void {
    this.log(
      'error',
      { requestId: req.requestId, code: ErrorCodes.WAIT_UNTIL_FAILED, err: describeError(error) },
      'waitUntil work failed',
    );
  }
}

const EXPIRED = Symbol('expired');

/**
 * Where lifecycle lines go: the app's logger, or JSON lines on stderr when the app logs nothing
 * (a failure after the answer has nobody else to tell). A logger that throws is ignored.
 */
export function lifecycleLog(logger: Logger | undefined): LifecycleLog {
  const target = logger ?? createJsonLogger((line) => process.stderr.write(line));
  return (level, fields, message) => {
    try {
      target[level](fields, message);
    } catch {
      // Nothing sensible is left to report to.
    }
  };
}

import { CrestError, ErrorCodes } from '../../errors';
import type { HttpRequest } from '../../http/request';

/**
 * The invocation deadline, for a response stream: a source (or a client) that stalls must not
 * hold the invocation until Lambda kills it (which loses the trailers and the execution
 * environment). A wait is bounded by handing it to `bound`; at the deadline, less the margin, the
 * pending wait rejects and `req.signal` aborts. One timer for the whole stream, and one promise
 * per wait, instead of a `Promise.race` per chunk that would leave a reaction on a never-settling
 * promise each time.
 */
export class StreamDeadline {
  expired = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private rejectWait: ((error: unknown) => void) | undefined;

  constructor(req: HttpRequest, timeoutError: () => Error) {
    const timeLeft = req.timeLeft();
    if (timeLeft === undefined) return;
    this.timer = setTimeout(
      () => {
        this.expired = true;
        const error = timeoutError();
        req.abort(error);
        this.rejectWait?.(error);
      },
      Math.max(0, timeLeft),
    );
    // Only a pending wait matters; the timer alone must not keep a process alive.
    this.timer.unref();
  }

  /** `wait`, or a rejection at the deadline; a value that is not a promise passes as it is (a write that needs no drain). */
  bound<T>(wait: T | Promise<T>): T | Promise<T> {
    if (this.timer === undefined || !isThenable(wait)) return wait;
    if (this.expired) return Promise.reject(new CrestError(ErrorCodes.TIMEOUT, 'the invocation deadline has passed'));
    return new Promise<T>((resolve, reject) => {
      this.rejectWait = reject;
      Promise.resolve(wait).then(resolve, reject);
    });
  }

  clear(): void {
    clearTimeout(this.timer);
    this.rejectWait = undefined;
  }
}

/** Custom iterators may return any thenable from `next()`, not only a native promise. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The part of the Lambda Runtime API (docs: "Using the Lambda runtime API for custom runtimes",
 * and "Response streaming" for the streamed upload) that a runtime interface client uses, served
 * on 127.0.0.1. It hands out queued invocations on `GET …/invocation/next` and records, byte for
 * byte, what the runtime posts back, so tests can assert the wire format itself.
 *
 * Hand-written because the only emulator AWS ships (aws-lambda-runtime-interface-emulator) is a
 * Go binary outside npm, and it forwards a streamed answer instead of exposing its chunks and
 * trailers.
 */
export class RuntimeApiEmulator {
  /** What `AWS_LAMBDA_RUNTIME_API` is set to: `127.0.0.1:<port>`. */
  readonly address: string;
  /** `POST …/init/error` bodies: the runtime could not load the handler. */
  readonly initErrors: RuntimeError[] = [];
  /** Requests no runtime should send (an unknown path, a second answer to one invocation). */
  readonly unexpected: string[] = [];
  private readonly queued: Invocation[] = [];
  private readonly polling: ServerResponse[] = [];
  private readonly open = new Map<string, Invocation>();

  private constructor(private readonly server: Server) {
    this.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<RuntimeApiEmulator> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const emulator = new RuntimeApiEmulator(server);
    server.on('request', (req, res) => emulator.route(req, res));
    return emulator;
  }

  /** Queues an event for the runtime and resolves with what the runtime sent back for it. */
  invoke(event: unknown, options: InvokeOptions = {}): Promise<InvocationRecord> {
    return new Promise((resolve) => {
      const invocation: Invocation = { requestId: randomUUID(), event, options, resolve };
      this.queued.push(invocation);
      this.dispatch();
    });
  }

  /** Stops serving; a runtime still polling `next` sees its connection close. */
  async close(): Promise<void> {
    for (const res of this.polling.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method === 'GET' && path === `${API}/runtime/invocation/next`) {
      this.polling.push(res);
      res.once('close', () => {
        const at = this.polling.indexOf(res);
        if (at !== -1) this.polling.splice(at, 1);
      });
      this.dispatch();
      return;
    }
    if (req.method === 'POST' && path === `${API}/runtime/init/error`) {
      readAll(req).then((body) => {
        this.initErrors.push({ headers: req.headers, body });
        accept(res);
      });
      return;
    }
    const answer = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    const invocation = answer === null ? undefined : this.open.get(decodeURIComponent(answer[1]!));
    if (req.method !== 'POST' || invocation === undefined) {
      this.unexpected.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(answer === null ? 404 : 400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorType: 'InvalidRequestID' }));
      return;
    }
    this.open.delete(invocation.requestId);
    this.record(invocation, answer![2] as 'response' | 'error', req, res);
  }

  /** Pairs queued invocations with runtimes waiting on `next`, in order. */
  private dispatch(): void {
    while (this.queued.length > 0 && this.polling.length > 0) {
      const invocation = this.queued.shift()!;
      const res = this.polling.shift()!;
      this.open.set(invocation.requestId, invocation);
      invocation.deadline = Date.now() + (invocation.options.timeoutMs ?? 30_000);
      res.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': invocation.requestId,
        'lambda-runtime-deadline-ms': String(invocation.deadline),
        'lambda-runtime-invoked-function-arn': FUNCTION_ARN,
        'lambda-runtime-trace-id': `Root=1-${Date.now().toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Sampled=0`,
      });
      res.end(JSON.stringify(invocation.event));
    }
  }

  /**
   * Reads the runtime's answer as it arrives: the chunks, the trailers after the last one, and
   * whether the upload ended with its closing chunk or broke off.
   */
  private record(
    invocation: Invocation,
    outcome: 'response' | 'error',
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const chunks: Buffer[] = [];
    const finish = (complete: boolean): void => {
      invocation.resolve({
        requestId: invocation.requestId,
        outcome,
        headers: req.headers,
        streamed: req.headers['lambda-runtime-function-response-mode'] === 'streaming',
        body: Buffer.concat(chunks),
        trailers: complete ? { ...req.trailers } : {},
        complete,
        deadline: invocation.deadline!,
        endedAt: Date.now(),
      });
    };
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      finish(true);
      accept(res);
    });
    req.once('close', () => {
      if (!req.complete) finish(false);
    });
  }
}

export interface InvokeOptions {
  /** Time until the invocation's deadline (`Lambda-Runtime-Deadline-Ms`); default 30 s. */
  timeoutMs?: number;
}

/** Exactly what the runtime sent for one invocation. */
export interface InvocationRecord {
  requestId: string;
  /** `response` (`POST …/response`) or `error` (`POST …/error`). */
  outcome: 'response' | 'error';
  headers: IncomingHttpHeaders;
  /** Sent with `Lambda-Runtime-Function-Response-Mode: streaming` (chunked, with trailers). */
  streamed: boolean;
  body: Buffer;
  /** HTTP trailers after the last chunk, names lower-case. */
  trailers: Record<string, string | undefined>;
  /** The body ended with its closing chunk; false when the connection broke off mid-upload. */
  complete: boolean;
  /** The deadline the runtime was given (`Lambda-Runtime-Deadline-Ms`), and when the answer ended (epoch ms). */
  deadline: number;
  endedAt: number;
}

export interface RuntimeError {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Invocation {
  requestId: string;
  event: unknown;
  options: InvokeOptions;
  resolve: (record: InvocationRecord) => void;
  /** Set when the runtime receives it. */
  deadline?: number;
}

const API = '/2018-06-01';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:crest-example';

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The Runtime API's answer to a posted response or error (202 Accepted). */
function accept(res: ServerResponse): void {
  res.writeHead(202, { 'content-type': 'application/json' });
  res.end('{"status":"OK"}');
}

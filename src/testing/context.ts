import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LambdaContextOptions extends Partial<Omit<Context, 'getRemainingTimeInMillis'>> {
  /** The invocation's time budget in ms (default 30 000); `getRemainingTimeInMillis` counts it down. */
  timeoutMs?: number;
}

/**
 * A Lambda context object as the Node.js runtime passes it, its remaining time counting down
 * from `timeoutMs`: a full @types/aws-lambda `Context`.
 *
 * @example const result = await handler(restApiEvent({ url: '/users/1' }), lambdaContext());
 */
export function lambdaContext(options: LambdaContextOptions = {}): Context {
  const { timeoutMs = 30_000, done, fail, succeed, ...fields } = options;
  const deadline = Date.now() + timeoutMs;
  const functionName = fields.functionName ?? 'crest-test';
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    callbackWaitsForEmptyEventLoop: true,
    ...fields,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: done ?? legacyCallback('done'),
    fail: fail ?? legacyCallback('fail'),
    succeed: succeed ?? legacyCallback('succeed'),
  };
}

/**
 * `done`, `fail` and `succeed` are the runtime's deprecated pre-promise callbacks (@types/aws-lambda
 * keeps them on `Context`). crest's handlers never call them; a handler under test that does fails
 * loudly here rather than have its result vanish. Pass your own in the options to observe them.
 */
function legacyCallback(name: string): () => never {
  return () => {
    throw new Error(
      `lambdaContext(): context.${name}() is a deprecated callback; return (or resolve) the result instead`,
    );
  };
}

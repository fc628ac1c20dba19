export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

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

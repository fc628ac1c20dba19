// crest/lambda: what only advanced Lambda code needs (routing events by source, typing results
// per source, a custom streaming runtime). The handlers themselves come from `app.lambda()`.
export {
  detectSource,
  isAlbEvent,
  isFunctionUrlEvent,
  isLatticeEvent,
  isV1Event,
  isV2Event,
} from './transports/lambda/sources';
export { isLambdaEnvironment } from './environment';
export type {
  LambdaSource,
  LambdaResult,
  LambdaResultFor,
  LambdaSourceTypes,
  SourceLambdaHandler,
  LatticeEvent,
  V1Result,
  V2Result,
  AlbResult,
  LatticeResult,
  LambdaStreamingRuntime,
  ResponseStreamPrelude,
} from './transports/lambda/types';

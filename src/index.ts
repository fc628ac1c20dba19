import 'reflect-metadata';

export { createApp, App, type AppOptions, type AppLimits, type AppDescription, type RouteExtension } from './core/app';
export type { InjectOptions, InjectResponse } from './transports/inject';
export type { Middleware, Next, RequestContext, RouteInfo } from './core/middleware';
export type { Logger } from './core/logger';
export { cors, type CorsOptions } from './middleware/cors';
export {
  Controller,
  Get,
  Post,
  Put,
  Patch,
  Delete,
  Head,
  Options,
  All,
  Param,
  Query,
  Body,
  Header,
  Cookie,
  Req,
  Ctx,
  HttpCode,
  SetHeader,
  Use,
  Timeout,
  Doc,
  ResponseSchema,
  type ResponseSchemaOptions,
} from './metadata/decorators';
export type { ParamOptions, TypeHint, DocMetadata as DocOptions } from './metadata/metadata';
export type { ValidationOptions } from './compile/validation';
export type { TrailingSlash } from './router/router';
export { HttpRequest, type RequestSource, type HttpRequestInit, type HeaderMap } from './http/request';
export {
  HttpResponse,
  type ResponseInit,
  type HeaderValue,
  type StreamSource,
  type CookieOptions,
} from './http/response';
export type { QueryMap } from './http/query';
export type { ProblemDetails } from './http/problem';
export {
  HttpError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  TooManyRequestsError,
  InternalServerError,
  ServiceUnavailableError,
  ValidationError,
  CrestBootError,
  ErrorCodes,
  MAX_LISTED_ISSUES,
  type ErrorCode,
  type HttpErrorOptions,
  type ValidationIssue,
} from './errors';
export type { NodeContext, ServerOptions } from './transports/node/server';
export { isLambdaEnvironment, type RunOptions } from './transports/node/run';
export { NotHttpEventError, type LambdaHandler, type LambdaOptions } from './transports/lambda/handler';
export { type LambdaStreamingOptions } from './transports/lambda/streaming';
export type {
  LambdaStreamingRuntime,
  ResponseStreamPrelude,
  StreamingHandler,
} from './transports/lambda/streaming-runtime';
export {
  detectSource,
  isAlbEvent,
  isFunctionUrlEvent,
  isLatticeEvent,
  isV1Event,
  isV2Event,
} from './transports/lambda/detect';
export type {
  LambdaSource,
  LambdaContext,
  LambdaAuthorizer,
  LambdaRuntimeContext,
  LambdaResult,
  LambdaResultFor,
  LambdaSourceTypes,
  LambdaHandlerFor,
  SourceLambdaHandler,
  LatticeEvent,
  V1Result,
  V2Result,
  AlbResult,
  LatticeResult,
} from './transports/lambda/types';
export {
  decodeLogStream,
  type LogStreamData,
  type LogStreamEvent,
  type LogStreamSubscriptionEvent,
} from './transports/lambda/decode-log-stream';

// multipart/form-data uploads (issue 16).
export { UploadedFile, UploadedFiles } from './metadata/upload-decorators';
export type { UploadOptions } from './metadata/metadata';
export type { MultipartOptions } from './compile/multipart';
export type { MultipartForm, MultipartLimits } from './http/multipart';

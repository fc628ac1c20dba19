import './metadata/reflect-metadata';

export { createApp, App } from './create-app';
export type { AppOptions } from './core/core';
export type { InjectOptions, InjectResponse } from './transports/inject';
export type { Middleware, Next, RequestContext, RouteInfo } from './middleware/middleware';
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
export { HttpRequest, type RequestSource, type HeaderMap } from './http/request';
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
export type { RunOptions } from './transports/node/run';
export { NotHttpEventError, type LambdaOptions } from './transports/lambda/handler';
export type { LambdaStreamingOptions } from './transports/lambda/streaming';
export type {
  LambdaSource,
  LambdaContext,
  LambdaAuthorizer,
  LambdaRuntimeContext,
  LambdaHandler,
  LambdaHandlerFor,
  StreamingHandler,
} from './transports/lambda/types';
export {
  decodeLogStream,
  type LogStreamData,
  type LogStreamEvent,
  type LogStreamSubscriptionEvent,
} from './transports/lambda/decode-log-stream';

// OpenAPI contract (issue 17): what `@Doc({ problems, parameters })` takes.
export type { ProblemDoc, ParameterDoc } from './metadata/metadata';
// The coded failures that are not HTTP answers.
export { CrestError, CrestUsageError } from './errors';
// The request's whole life (issue 15): state to handlers, request context, work after the
// response, shutdown hooks.
export { State } from './metadata/decorators';
export { requestContext, type CurrentRequest } from './core/request-scope';
export type { ShutdownHook } from './core/shutdown';
// Response compression and conditional GET (issue 20).
export { compress, type CompressOptions } from './middleware/compress';
export { etag } from './middleware/etag';
export type { ContentCoding } from './http/accept-encoding';
// multipart/form-data uploads (issue 16).
export { Multipart, UploadedFile, UploadedFiles } from './metadata/upload-decorators';
export type { UploadOptions } from './metadata/metadata';
export type { MultipartOptions } from './compile/multipart';
export type { MultipartForm, MultipartLimits } from './http/multipart';

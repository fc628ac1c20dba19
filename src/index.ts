import 'reflect-metadata';

export { createApp, App, type AppOptions, type AppLimits, type AppDescription, type RouteExtension } from './app/app';
export type { InjectOptions, InjectResponse } from './app/inject';
export type { Middleware, Next, RequestContext, RouteInfo } from './app/middleware';
export type { Logger } from './app/logger';
export { cors, type CorsOptions } from './app/cors';
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
} from './routing/decorators';
export type { ParamOptions, TypeHint, DocMetadata as DocOptions } from './routing/metadata';
export type { ValidationOptions } from './routing/validation';
export type { TrailingSlash } from './routing/router';
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
export type { NodeContext, ServerOptions } from './node/server';
export { isLambdaEnvironment, type RunOptions } from './node/run';
export { NotHttpEventError, type LambdaHandler, type LambdaOptions } from './lambda/handler';
export { type LambdaStreamingOptions } from './lambda/streaming';
export type { LambdaStreamingRuntime, ResponseStreamPrelude, StreamingHandler } from './lambda/streaming-runtime';
export { detectSource, isAlbEvent, isFunctionUrlEvent, isLatticeEvent, isV1Event, isV2Event } from './lambda/detect';
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
} from './lambda/types';
export {
  decodeLogStream,
  type LogStreamData,
  type LogStreamEvent,
  type LogStreamSubscriptionEvent,
} from './logs/decode-log-stream';

import {
  CrestBootError,
  ErrorCodes,
  requestError,
  type IssueLocation,
  type ValidationIssue,
  type ValidationIssues,
} from '../errors';
import type { HttpRequest } from '../http/request';
import type { Class, ParamMetadata } from '../metadata/metadata';
import type { MissingTypes } from './missing-types';
import { createDtoValidator, type ValidationOptions } from './validation';
import { isMultipartType } from '../http/multipart';
import { fileResolver, multipartNotRead, readsFields } from './multipart';

import type { ArgResolver } from './types';

export type { ArgResolver } from './types';

type Coercer = (value: string, location: IssueLocation, name: string, issues: ValidationIssue[]) => unknown;

const LOCATION: Record<'param' | 'query' | 'header' | 'cookie', IssueLocation> = {
  param: 'path',
  query: 'query',
  header: 'header',
  cookie: 'cookie',
};

const coerceString: Coercer = (value) => value;

// Decimal only: Number() also reads '0x10', '0b11', ' 1 ' and '', so many URLs would name one id.
// Every quantifier is unambiguous, so a rejection costs one pass: the former `\d+\.?\d*` could split
// a digit run in n ways and spent O(n²) on `111…1x` (a 16 KB cookie: 214 ms per request).
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

const coerceNumber: Coercer = (value, location, name, issues) => {
  const number = DECIMAL.test(value) ? Number(value) : NaN;
  // An integer past 2^53 would silently become a different one.
  if (Number.isFinite(number) && (!INTEGER.test(value) || Number.isSafeInteger(number))) return number;
  issues.push({ in: location, path: name, code: 'type', message: `${name} must be a number` });
  return undefined;
};

const coerceBoolean: Coercer = (value, location, name, issues) => {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  issues.push({ in: location, path: name, code: 'type', message: `${name} must be true, false, 1 or 0` });
  return undefined;
};

const coerceDate: Coercer = (value, location, name, issues) => {
  const date = new Date(value);
  if (value !== '' && !Number.isNaN(date.getTime())) return date;
  issues.push({ in: location, path: name, code: 'type', message: `${name} must be a date` });
  return undefined;
};

function scalarCoercer(type: unknown): Coercer | undefined {
  if (type === String || type === Object) return coerceString;
  if (type === Number) return coerceNumber;
  if (type === Boolean) return coerceBoolean;
  if (type === Date) return coerceDate;
  return undefined;
}

/** Everything the compiler knows when it builds one resolver. */
export interface ParamContext {
  /** `UsersController.show`, for boot errors. */
  where: string;
  /** `design:paramtypes[index]`, or undefined when metadata was not emitted. */
  designType: unknown;
  validation: ValidationOptions;
  /** Where missing types go, so that boot reports all of them at once. */
  missing: MissingTypes;
}

const unresolved: ArgResolver = () => undefined;

/** Compiles the resolver of one decorated parameter, once, at boot. */
export function createArgResolver(param: ParamMetadata, context: ParamContext): ArgResolver {
  if (param.kind === 'req') return (req) => req;
  if (param.kind === 'ctx') return (req) => req.raw;
  if (param.kind === 'state') {
    // Set by middleware, not read from the wire: handed over as it is, never coerced.
    const key = param.name;
    return key === undefined ? (req) => req.state : (req) => req.state[key];
  }
  if (param.kind === 'file' || param.kind === 'files') return fileResolver(param);

  const label = `@${param.kind[0]!.toUpperCase()}${param.kind.slice(1)}(${param.name === undefined ? '' : `'${param.name}'`})`;
  const declared = param.options.type ?? context.designType;
  if (declared === undefined) {
    // Never runs: boot ends with the list of missing types.
    context.missing.param(context.where, param);
    return unresolved;
  }
  const unsupported = (): never => {
    throw new CrestBootError(
      ErrorCodes.UNSUPPORTED_TYPE,
      `${context.where}: parameter ${param.index} (${label}) has type ${describe(declared)}, which crest cannot coerce to.`,
    );
  };

  if (param.kind === 'body') {
    const body = bodyResolver(declared, context);
    return readsFields(declared) ? withFormFields(body, declared, context) : body;
  }
  if (param.kind === 'query' && param.name === undefined) {
    if (declared === Object) return (req) => req.query;
    if (typeof declared !== 'function' || scalarCoercer(declared)) return unsupported();
    context.missing.dto(declared as Class, 'query');
    const dto = createDtoValidator(declared as Class, 'query', context.validation, true);
    const resolve = (req: HttpRequest, issues: ValidationIssues): unknown =>
      dto.validate(multimapToPlain(req.query, 'query', issues), issues);
    return Object.assign(resolve, { async: dto.async });
  }

  const name = param.name!;
  const location = LOCATION[param.kind];
  const required = param.options.required === true || param.kind === 'param';
  const listOf = Array.isArray(declared) ? (declared as unknown[])[0] : declared === Array ? String : undefined;
  const coerce = scalarCoercer(listOf ?? declared) ?? unsupported();
  const missing = (issues: ValidationIssue[]): undefined => {
    if (required) issues.push({ in: location, path: name, code: 'required', message: `${name} is required` });
    return undefined;
  };

  if (listOf !== undefined) {
    if (param.kind !== 'query' && param.kind !== 'header') return unsupported();
    const values =
      param.kind === 'query'
        ? (req: HttpRequest) => req.query[name]
        : (req: HttpRequest) => {
            const list = req.headerValues(name);
            return list.length === 0 ? undefined : list;
          };
    return (req, issues) => {
      const list = values(req);
      if (list === undefined) return missing(issues);
      return coerce === coerceString ? list : list.map((value) => coerce(value, location, name, issues));
    };
  }

  switch (param.kind) {
    case 'param':
      return (req, issues) => coerce(req.params[name]!, location, name, issues);
    case 'query':
      // A repeated key given to a scalar parameter: the first value wins, as in Go's url.Values.Get.
      return (req, issues) => {
        const list = req.query[name];
        return list === undefined ? missing(issues) : coerce(list[0]!, location, name, issues);
      };
    case 'header':
      return (req, issues) => {
        const value = req.headers[name];
        return value === undefined ? missing(issues) : coerce(value, location, name, issues);
      };
    default:
      // Strict about the cookie asked for only: a malformed cookie of another app on the same
      // domain must not lock users out.
      return (req, issues) => {
        const value = req.rawCookies[name];
        if (value === undefined) return missing(issues);
        const decoded = decodeCookieValue(value);
        if (decoded !== undefined) return coerce(decoded, location, name, issues);
        issues.push({
          in: 'cookie',
          path: name,
          code: 'encoding',
          message: `${name} is not valid percent-encoded UTF-8`,
        });
        return undefined;
      };
  }
}

function decodeCookieValue(value: string): string | undefined {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function bodyResolver(declared: unknown, context: ParamContext): ArgResolver {
  if (declared === String) return (req) => req.text();
  if (declared === Buffer || declared === Uint8Array) return (req) => req.body;
  if (declared === Object || declared === Array) {
    return (req) => {
      if (req.body.length === 0) return undefined;
      const type = req.contentType;
      if (type === 'application/x-www-form-urlencoded') return req.form();
      if (isJsonType(type)) return req.json();
      return req.text();
    };
  }
  if (typeof declared !== 'function' || scalarCoercer(declared)) {
    throw new CrestBootError(
      ErrorCodes.UNSUPPORTED_TYPE,
      `${context.where}: @Body() has type ${describe(declared)}; use a DTO class, Object, String or Buffer.`,
    );
  }
  context.missing.dto(declared as Class, 'body');
  const dto = createDtoValidator(declared as Class, 'body', context.validation, false);
  const resolve = (req: HttpRequest, issues: ValidationIssues): unknown => {
    if (req.body.length === 0) {
      issues.push({ in: 'body', path: '', code: 'required', message: 'a JSON request body is required' });
      return undefined;
    }
    assertJsonContent(req);
    // Before parsing: a body of a million unknown keys or bad items costs one pass over its bytes.
    if (dto.screen !== undefined && dto.screen(req.body, issues)) return undefined;
    return dto.validate(req.json(), issues);
  };
  return Object.assign(resolve, { async: dto.async });
}

/**
 * A `@Body()` that also reads a multipart/form-data body's text fields (a route with file fields
 * or `@Multipart()` parsed it into `req.multipart`): `Object` gets them as they are, a DTO
 * validates them as it validates a query, strings converted to its property types. On other
 * routes a multipart body is a 415, never read as text.
 */
function withFormFields(json: ArgResolver, declared: unknown, context: ParamContext): ArgResolver {
  const dto = declared === Object ? undefined : createDtoValidator(declared as Class, 'body', context.validation, true);
  const resolve = (req: HttpRequest, issues: ValidationIssues): unknown => {
    if (req.multipart === undefined) {
      // Only a route with file fields or @Multipart() reads multipart bodies (and loads the parser).
      if (isMultipartType(req.headers['content-type'])) throw multipartNotRead();
      return json(req, issues);
    }
    const plain = multimapToPlain(req.multipart.fields, 'body', issues);
    return dto === undefined ? plain : dto.validate(plain, issues);
  };
  return Object.assign(resolve, { async: json.async === true || dto?.async === true });
}

/** `application/json` and any `+json` suffix type (RFC 6839). */
export function isJsonType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

function assertJsonContent(req: HttpRequest): void {
  if (!isJsonType(req.contentType)) {
    throw requestError(ErrorCodes.UNSUPPORTED_MEDIA_TYPE, 'The request body must be application/json.');
  }
  // One Content-Type, as `req.contentType` made sure.
  const charset = CHARSET.exec(req.headers['content-type']!)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw requestError(ErrorCodes.UNSUPPORTED_MEDIA_TYPE, `Unsupported charset ${JSON.stringify(charset)}; use utf-8.`);
  }
}

/** A query or form multimap as a DTO sees it: single values as strings, repeated keys as arrays. */
function multimapToPlain(
  map: Record<string, string[]>,
  location: IssueLocation,
  issues: ValidationIssue[],
): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(map)) {
    if (key === '__proto__') {
      issues.push({ in: location, path: key, code: 'forbidden', message: `${key} is not allowed` });
      continue;
    }
    const values = map[key]!;
    plain[key] = values.length === 1 ? values[0] : values;
  }
  return plain;
}

function describe(type: unknown): string {
  if (Array.isArray(type)) return `[${describe(type[0])}]`;
  return typeof type === 'function' ? type.name || 'anonymous class' : String(type);
}

import { statusText } from '../http/protocol';
import { ErrorCodes } from '../index';
import type { ProblemDoc } from '../metadata/metadata';
import { PROBLEM_MEDIA_TYPE } from './problems';
import type { ResponseObject, ResponseOrRef, SchemaObject } from './types';

/** What an operation reads, which decides the errors crest itself may answer it with. */
export interface OperationInputs {
  /** A parameter or body crest coerces or validates. */
  validated: boolean;
  pathParams: boolean;
  /** Any request body: it has a size limit. */
  body: boolean;
  /** A body parsed as JSON (a DTO, `Object`): it can be malformed, or typed twice. */
  jsonBody: boolean;
  /** A DTO body: anything but JSON is refused. */
  dtoBody: boolean;
  /** A multipart/form-data body (`@UploadedFile`): its own limits and refusals. */
  multipart: boolean;
}

interface CrestProblem {
  status: number;
  code: string;
  /** What it means, for the response's description. */
  means: string;
  when(inputs: OperationInputs): boolean;
}

/** Every problem crest answers an operation with by itself, and when (see src/core/core.ts, src/compile/params.ts). */
const CREST_PROBLEMS: readonly CrestProblem[] = [
  {
    status: 400,
    code: ErrorCodes.VALIDATION,
    means:
      '`errors` lists each input that failed validation (a query parameter the operation does not list, where ' +
      'it reads the query as a DTO, included)',
    when: (inputs) => inputs.validated,
  },
  {
    status: 400,
    code: ErrorCodes.BAD_URL,
    means: 'the path is not valid percent-encoded UTF-8',
    when: (inputs) => inputs.pathParams,
  },
  {
    status: 400,
    code: ErrorCodes.INVALID_JSON,
    means: 'the body is not valid UTF-8 JSON, or nests too deeply',
    when: (inputs) => inputs.jsonBody,
  },
  {
    status: 400,
    code: ErrorCodes.BAD_HEADER,
    means: 'the request has more than one Content-Type',
    when: (inputs) => inputs.jsonBody,
  },
  {
    status: 400,
    code: ErrorCodes.INVALID_MULTIPART,
    means:
      'the multipart/form-data body is malformed (no boundary, cut short, a part without a name or Content-Disposition)',
    when: (inputs) => inputs.multipart,
  },
  {
    status: 404,
    code: ErrorCodes.NOT_FOUND,
    means: 'no route matches the path',
    when: (inputs) => inputs.pathParams,
  },
  {
    status: 413,
    code: ErrorCodes.BODY_TOO_LARGE,
    means: 'the request body is over the body limit',
    when: (inputs) => inputs.body,
  },
  {
    status: 413,
    code: ErrorCodes.FILE_TOO_LARGE,
    means: 'an uploaded file is over its size limit',
    when: (inputs) => inputs.multipart,
  },
  {
    status: 413,
    code: ErrorCodes.TOO_MANY_FILES,
    means: 'more files than the limit',
    when: (inputs) => inputs.multipart,
  },
  {
    status: 413,
    code: ErrorCodes.TOO_MANY_FIELDS,
    means: 'more text fields than the limit',
    when: (inputs) => inputs.multipart,
  },
  {
    status: 413,
    code: ErrorCodes.FIELD_TOO_LARGE,
    means: 'a text field is over its size limit',
    when: (inputs) => inputs.multipart,
  },
  {
    status: 413,
    code: ErrorCodes.TOO_MANY_PARTS,
    means: 'more parts than the limit',
    when: (inputs) => inputs.multipart,
  },
  {
    status: 414,
    code: ErrorCodes.URI_TOO_LONG,
    means: 'a path parameter is too long',
    when: (inputs) => inputs.pathParams,
  },
  {
    status: 415,
    code: ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
    means: 'the request body is not `application/json` (utf-8)',
    when: (inputs) => inputs.dtoBody && !inputs.multipart,
  },
  {
    status: 415,
    code: ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
    means: 'the request body is neither `application/json` (utf-8) nor multipart/form-data',
    when: (inputs) => inputs.dtoBody && inputs.multipart,
  },
  {
    status: 415,
    code: ErrorCodes.UNSUPPORTED_FILE_TYPE,
    means: 'an uploaded file has a media type its field does not accept',
    when: (inputs) => inputs.multipart,
  },
  {
    status: 415,
    code: ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
    means: 'the request body is not multipart/form-data',
    when: (inputs) => inputs.multipart && !inputs.dtoBody,
  },
  {
    status: 500,
    code: ErrorCodes.INTERNAL,
    means: 'an unexpected error; details are never shown',
    when: () => true,
  },
];

/** Names in `components.responses` for crest's answers that many operations share. */
const SHARED: Record<string, string> = {
  [`400 ${ErrorCodes.VALIDATION}`]: 'ValidationFailed',
  [`404 ${ErrorCodes.NOT_FOUND}`]: 'NotFound',
  [`413 ${ErrorCodes.BODY_TOO_LARGE}`]: 'ContentTooLarge',
  [`415 ${ErrorCodes.UNSUPPORTED_MEDIA_TYPE}`]: 'UnsupportedMediaType',
  [`500 ${ErrorCodes.INTERNAL}`]: 'InternalError',
};

/** One documented problem status: its codes (`undefined`: any code) and what they mean. */
interface ProblemStatus {
  description: string | undefined;
  codes: string[] | undefined;
  means: Map<string, string>;
}

/**
 * The problem responses of operations. Each status admits exactly the `code`s crest or the app
 * declares for it (RFC 9457 bodies; a 400 with `CREST_VALIDATION` also requires `errors`), so a
 * contract-testing tool can tell a documented answer from an undocumented one. Responses crest
 * shares between operations are put in `components.responses` on first use, and only then.
 */
export class ProblemResponses {
  readonly components: Record<string, ResponseObject> = {};

  /** `declared` are the app's `@Doc({ problems })`, by status; they widen crest's own for a status. */
  forOperation(inputs: OperationInputs, declared: Record<string, string | ProblemDoc>): Record<string, ResponseOrRef> {
    const statuses = new Map<number, ProblemStatus>();
    for (const problem of CREST_PROBLEMS) {
      if (!problem.when(inputs)) continue;
      const entry = statuses.get(problem.status) ?? emptyStatus();
      entry.codes!.push(problem.code);
      entry.means.set(problem.code, problem.means);
      statuses.set(problem.status, entry);
    }
    for (const [key, doc] of Object.entries(declared)) {
      const status = Number(key);
      const { description, codes } = typeof doc === 'string' ? { description: doc, codes: undefined } : doc;
      const entry = statuses.get(status) ?? emptyStatus();
      entry.description = description;
      entry.codes = codes === undefined || entry.codes === undefined ? undefined : [...entry.codes, ...codes];
      for (const code of codes ?? []) entry.means.set(code, description);
      statuses.set(status, entry);
    }
    const responses: Record<string, ResponseOrRef> = {};
    for (const status of [...statuses.keys()].sort((a, b) => a - b)) {
      responses[String(status)] = this.response(status, statuses.get(status)!);
    }
    return responses;
  }

  private response(status: number, entry: ProblemStatus): ResponseOrRef {
    const shared =
      entry.description === undefined && entry.codes?.length === 1 ? SHARED[`${status} ${entry.codes[0]}`] : undefined;
    if (shared === undefined) return problemStatusResponse(status, entry);
    this.components[shared] ??= problemStatusResponse(status, entry);
    return { $ref: `#/components/responses/${shared}` };
  }
}

function emptyStatus(): ProblemStatus {
  return { description: undefined, codes: [], means: new Map() };
}

function problemStatusResponse(status: number, entry: ProblemStatus): ResponseObject {
  const described = [...entry.means].map(([code, means]) => `\`${code}\`: ${means}.`);
  const description = entry.description ?? `${statusText(status)}. ${described.join(' ')}`;
  const codes = entry.codes;
  const examples = Object.fromEntries(
    [...entry.means.keys()].map((code) => [code, { value: problemExample(status, code, entry.means.get(code)!) }]),
  );
  return {
    description,
    content: {
      [PROBLEM_MEDIA_TYPE]: {
        schema: codes === undefined ? { $ref: '#/components/schemas/Problem' } : codedSchema(codes),
        ...(Object.keys(examples).length > 0 ? { examples } : {}),
      },
    },
  };
}

/** A problem whose `code` is one of `codes`; `CREST_VALIDATION` ones also list their `errors`. */
function codedSchema(codes: readonly string[]): SchemaObject {
  const others = codes.filter((code) => code !== ErrorCodes.VALIDATION);
  const validation: SchemaObject = { $ref: '#/components/schemas/ValidationProblem' };
  const coded: SchemaObject = {
    allOf: [{ $ref: '#/components/schemas/Problem' }],
    properties: { code: others.length === 1 ? { const: others[0] } : { enum: others } },
  };
  if (others.length === 0) return validation;
  return others.length === codes.length ? coded : { oneOf: [validation, coded] };
}

/** What crest writes for `code` (src/http/problem.ts), as an example a reader and a linter can check. */
function problemExample(status: number, code: string, means: string): Record<string, unknown> {
  const example: Record<string, unknown> = { type: 'about:blank', title: statusText(status), status, code };
  // 5xx problems never show a detail.
  if (status < 500) example.detail = means.charAt(0).toUpperCase() + means.slice(1).replace(/\.$/, '') + '.';
  if (code === ErrorCodes.VALIDATION) {
    example.detail = 'The request is invalid.';
    example.errors = [{ in: 'query', path: 'limit', code: 'max', message: 'limit must not be greater than 100' }];
  }
  return example;
}

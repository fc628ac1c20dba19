import { expect } from 'chai';
import { IsInt, IsOptional, IsString } from 'class-validator';
import {
  Body,
  Controller,
  createApp,
  CrestBootError,
  Doc,
  ErrorCodes,
  Get,
  HttpResponse,
  Param,
  Post,
  Query,
  ResponseSchema,
} from '../../src';
import { openApiDocument, type OpenApi } from '../../src/openapi';
import { expectValidOpenApi } from './openapi-checks';
import { exampleViolations } from './support/contract';

class Note {
  @IsString() text!: string;
  @IsOptional() @IsString() author?: string | null;
}

class NoteFilter {
  @IsOptional() @IsInt() limit?: number;
}

@Controller('/notes')
@Doc({ problems: { 503: { description: 'The note store is down.', codes: ['NOTES_DOWN'] } } })
class NotesController {
  @Get('/:id')
  @Doc({
    problems: { 404: { description: 'No such note.', codes: ['UNKNOWN_NOTE'] } },
    parameters: { id: { description: 'The note’s number.', example: 7 } },
  })
  @ResponseSchema(Note)
  show(@Param('id') id: number) {
    return { text: String(id), author: null };
  }

  @Post('/:id')
  @Doc({ problems: { 503: 'Down for maintenance.' } })
  @ResponseSchema(Note)
  replace(@Param('id') _id: number, @Body() note: Note) {
    return note;
  }

  @Get('/')
  @ResponseSchema(Note, { mediaType: 'application/x-ndjson' })
  list(@Query() _filter: NoteFilter) {
    return HttpResponse.text(`{"text":"a"}\n`, { headers: { 'content-type': 'application/x-ndjson' } });
  }

  @Get('/elsewhere')
  @ResponseSchema(null, { status: 302, description: 'To the first note' })
  elsewhere() {
    return HttpResponse.redirect('/notes/1');
  }
}

type Responses = Record<string, OpenApi.ResponseObject>;

describe('openApiDocument(app)', () => {
  const document = openApiDocument(createApp({ controllers: [NotesController], openapi: undefined, prefix: '/v1' }));
  const responses = (path: string, method: 'get' | 'post') =>
    document.paths[path]![method]!.responses as unknown as Responses;
  const problemSchema = (response: OpenApi.ResponseObject) => response.content!['application/problem+json']!.schema!;

  it('is a valid OpenAPI 3.1 document whose every example fits its schema', async () => {
    await expectValidOpenApi(document);
    expect(exampleViolations(document)).to.deep.equal([]);
  });

  describe('when an operation declares problems with their codes', () => {
    it('admits exactly those codes, with crest’s own for the same status', () => {
      expect(problemSchema(responses('/notes/{id}', 'get')['404']!)).to.deep.equal({
        allOf: [{ $ref: '#/components/schemas/Problem' }],
        properties: { code: { enum: ['CREST_NOT_FOUND', 'UNKNOWN_NOTE'] } },
      });
    });

    it('applies the controller’s problems to every method, a method’s own entry winning', () => {
      expect(problemSchema(responses('/notes/{id}', 'get')['503']!).properties!.code).to.deep.equal({
        const: 'NOTES_DOWN',
      });
      expect(problemSchema(responses('/notes/{id}', 'post')['503']!)).to.deep.equal({
        $ref: '#/components/schemas/Problem',
      });
    });
  });

  describe('when crest itself can answer 400 for several reasons', () => {
    it('admits a validation problem with its errors, or one of the other codes', () => {
      expect(problemSchema(responses('/notes/{id}', 'post')['400']!)).to.deep.equal({
        oneOf: [
          { $ref: '#/components/schemas/ValidationProblem' },
          {
            allOf: [{ $ref: '#/components/schemas/Problem' }],
            properties: { code: { enum: ['CREST_BAD_URL', 'CREST_INVALID_JSON', 'CREST_BAD_HEADER'] } },
          },
        ],
      });
      const examples = responses('/notes/{id}', 'post')['400']!.content!['application/problem+json']!.examples!;
      expect(Object.keys(examples)).to.deep.equal([
        'CREST_VALIDATION',
        'CREST_BAD_URL',
        'CREST_INVALID_JSON',
        'CREST_BAD_HEADER',
      ]);
    });

    it('refers to the shared ValidationFailed response where validation is the only reason', () => {
      expect(responses('/notes', 'get')['400']).to.deep.equal({ $ref: '#/components/responses/ValidationFailed' });
    });
  });

  describe('when @ResponseSchema names a media type or no body', () => {
    it('documents NDJSON as text with the schema of each line', () => {
      expect(responses('/notes', 'get')['200']!.content).to.deep.equal({
        'application/x-ndjson': {
          schema: { type: 'string', description: 'One Note as JSON per line.' },
          'x-itemSchema': { $ref: '#/components/schemas/Note' },
        },
      });
    });

    it('documents a redirect without content', () => {
      expect(responses('/notes/elsewhere', 'get')['302']).to.deep.equal({ description: 'To the first note' });
    });
  });

  describe('when a DTO property is @IsOptional', () => {
    it('admits null in bodies and answers, where class-validator and the serializer let it through', () => {
      expect(document.components.schemas.Note!.properties!.author).to.deep.equal({ type: ['string', 'null'] });
    });

    it('never admits null in a query parameter, which is text', () => {
      const limit = document.paths['/notes']!.get!.parameters!.find((p) => p.name === 'limit');
      expect(limit!.schema).to.deep.equal({ type: 'integer' });
    });
  });

  describe('when @Doc describes parameters', () => {
    it('adds their description and example', () => {
      expect(document.paths['/notes/{id}']!.get!.parameters![0]).to.deep.include({
        description: 'The note’s number.',
        example: 7,
      });
    });

    it('refuses to build for a parameter the operation does not have', () => {
      @Controller('/typo')
      class Typo {
        @Get('/') @Doc({ parameters: { cod: { example: '1000001' } } }) find(@Query('code') _code: string) {}
      }
      expect(() => openApiDocument(createApp({ controllers: [Typo] })))
        .to.throw(CrestBootError)
        .with.property('code', ErrorCodes.DOC_UNKNOWN_PARAMETER);
    });
  });
});

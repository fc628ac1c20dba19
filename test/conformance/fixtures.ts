import { IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import {
  Body,
  Controller,
  Cookie,
  Delete,
  Doc,
  Get,
  Header,
  HttpCode,
  HttpError,
  HttpResponse,
  Param,
  Post,
  Query,
  Req,
  ResponseSchema,
  SetHeader,
  type HttpRequest,
} from '../../src';

export class Address {
  @IsString() city!: string;
}

export class CreateUser {
  @IsString() name!: string;
  @IsInt() @Min(0) @Max(150) age!: number;
  @IsOptional() @ValidateNested() @Type(() => Address) address?: Address;
}

/** What GET /profile documents: the handler's `secret` is not part of it. */
export class Profile {
  @IsString() name!: string;
  @IsOptional() @ValidateNested() address?: Address;
}

export const BINARY = Buffer.from([0, 1, 2, 253, 254, 255, 0x0d, 0x0a, 0x80]);

/** The controllers every conformance scenario runs against, on every transport. */
@Controller('/users')
export class UsersController {
  @Get('/:id')
  show(@Param('id') id: number) {
    return { id };
  }

  @Post('/')
  @HttpCode(201)
  create(@Body() input: CreateUser) {
    return input;
  }

  @Delete('/:id')
  @Doc({ problems: { 409: 'User 0 cannot be deleted' } })
  remove(@Param('id') id: number) {
    if (id === 0) throw new HttpError(409, 'user 0 cannot be deleted');
    return undefined;
  }
}

@Controller()
export class MiscController {
  @Get('/')
  root() {
    return { root: true };
  }

  @Get('/profile')
  @ResponseSchema(Profile)
  profile() {
    return { secret: 'hunter2', name: 'Ada "the Countess"', address: { city: '東京', zip: '100-0001' } };
  }

  @Get('/search')
  search(@Query('q') q: string, @Query('tag', { type: [String] }) tags: string[] = []) {
    return { q, tags };
  }

  @Get('/headers')
  headers(@Header('x-multi', { type: [String] }) multi: string[], @Req() req: HttpRequest) {
    return { multi, joined: req.headers['x-multi'] };
  }

  @Get('/cookies')
  cookies(@Cookie('session') session: string, @Req() req: HttpRequest) {
    return { session, all: req.cookies };
  }

  @Get('/set-cookies')
  setCookies() {
    return HttpResponse.json({ ok: true })
      .cookie('a', '1', { path: '/', httpOnly: true })
      .cookie('b', '2', { expires: new Date(Date.UTC(2030, 0, 1)), secure: true });
  }

  @Get('/text')
  @SetHeader('x-served-by', 'crest')
  text() {
    return 'hello, world';
  }

  @Get('/binary')
  binary() {
    return HttpResponse.binary(BINARY, { headers: { 'content-type': 'image/png' } });
  }

  @Get('/files/:name')
  file(@Param('name') name: string, @Req() req: HttpRequest) {
    return { name, path: req.path, rawPath: req.rawPath };
  }

  @Get('/boom')
  boom(): never {
    throw new Error('secret database password in this message');
  }

  @Get('/redirect')
  @ResponseSchema(null, { status: 302, description: 'To /api/text' })
  redirect() {
    return HttpResponse.redirect('/api/text');
  }

  @Get('/stream')
  async *stream() {
    yield 'one,';
    yield Buffer.from('two,');
    yield 'three';
  }

  @Post('/raw')
  raw(@Body() body: Buffer, @Header('content-type') type: string) {
    return HttpResponse.binary(body, { headers: { 'content-type': type } });
  }

  @Get('/repeat-header')
  repeatHeader() {
    return HttpResponse.json({}, { headers: { 'x-list': ['a', 'b'] } });
  }
}

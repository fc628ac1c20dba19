import { IsInt, IsOptional, IsString } from 'class-validator';
import { Controller, Cookie, Doc, Get, HttpResponse, Query, ResponseSchema } from 'crest';
import type { QueryMap } from 'crest';

/** `GET /api/demo/cookies`: the visit count and the theme cookie, if any. */
export class CookieAnswer {
  @IsInt() visits!: number;
  @IsOptional() @IsString() theme!: string | null;
}

/**
 * Small routes that show what a transport must carry intact (the end-to-end test calls them
 * through API Gateway emulation): repeated query keys, cookies both ways, binary bodies.
 */
@Controller('/demo')
export class DemoController {
  /** `GET /api/demo/query?tag=a&tag=b` → `{"tag":["a","b"]}`: the query as the app saw it. */
  @Get('/query')
  @Doc({ summary: 'The query as the app received it', description: 'Repeated keys keep every value, in order.' })
  @ResponseSchema(Object, { description: 'Each query key with its values in order.' })
  query(@Query() query: QueryMap): QueryMap {
    return query;
  }

  /** Counts visits in a cookie and sets two cookies, so both must survive the trip. */
  @Get('/cookies')
  @Doc({
    summary: 'Counts visits in a cookie and sets two cookies',
    description: 'Both Set-Cookie headers must survive the trip through every transport.',
  })
  @ResponseSchema(CookieAnswer)
  cookies(
    @Cookie('visits', { type: Number }) visits: number | undefined,
    @Cookie('theme') theme: string | undefined,
  ): HttpResponse {
    const count = (visits ?? 0) + 1;
    return HttpResponse.json({ visits: count, theme: theme ?? null })
      .cookie('visits', String(count), { path: '/', httpOnly: true, sameSite: 'lax' })
      .cookie('seen', 'yes', { path: '/', maxAge: 3600 });
  }

  /** `GET /api/demo/bytes?size=256` → bytes 0, 1, … 255, 0, … as application/octet-stream. */
  @Get('/bytes')
  @Doc({
    summary: 'Binary bytes 0 to 255, repeated',
    description: 'Bytes that must arrive intact: base64 on Lambda, raw locally.',
    parameters: { size: { example: 256 } },
  })
  @ResponseSchema(Uint8Array, { description: '`size` bytes (default 256, at most 65536).' })
  bytes(@Query('size', { type: Number }) size: number | undefined): Uint8Array {
    const length = Math.max(0, Math.min(size ?? 256, 65536));
    return Uint8Array.from({ length }, (_, i) => i % 256);
  }
}

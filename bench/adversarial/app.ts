import { Expose, Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsInt, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import {
  Body,
  Controller,
  Cookie,
  cors,
  createApp,
  Get,
  Header,
  Param,
  Post,
  Query,
  Req,
  type App,
  type HttpRequest,
} from '../../src';

// The DTOs and routes each hostile input class aims at. Handlers answer something small, so
// that what is timed is crest taking the request in, not an answer the size of the input.

export class Item {
  @IsString() name!: string;
  @IsInt() qty!: number;
}

export class Order {
  @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
}

/** Compiled into the fast DTO plan: every rule is one the plan knows. */
export class Tagged {
  @IsString() name!: string;
  @IsOptional() @IsArray() tags?: unknown[];
}

/** Same shape, but `@IsUUID` is not in the plan's table: class-transformer and class-validator run. */
export class TaggedChecked {
  @IsString() name!: string;
  @IsOptional() @IsArray() tags?: unknown[];
  @IsOptional() @IsUUID() ref?: string;
}

/**
 * `@Expose` renames a key: class-transformer builds the instance (its objects are capped at 1,000
 * keys); crest learns its plain keys at boot and judges others one by one.
 */
export class ExposedItem {
  @Expose({ name: 'item_name' }) @IsString() name!: string;
  @IsInt() qty!: number;
}

export class Cat {
  @IsString() kind!: string;
  @IsString() name!: string;
}

/**
 * A `@Type` with a discriminator: class-transformer picks the class per value, so crest cannot
 * tell the value's keys before class-transformer has built it (its objects are capped at 1,000 keys).
 */
export class Pet {
  @ValidateNested()
  @Type(() => Object, { discriminator: { property: 'kind', subTypes: [{ value: Cat, name: 'cat' }] } })
  pet!: Cat;
}

/** A recursive discriminated DTO: each branch's class is named by its `kind`. */
export class Branch {
  @IsOptional() @IsString() name?: string;
  @IsOptional()
  @ValidateNested()
  @Type(() => Object, { discriminator: { property: 'kind', subTypes: [{ value: Branch, name: 'branch' }] } })
  child?: Branch;
}

export class Tree {
  @ValidateNested()
  @Type(() => Object, { discriminator: { property: 'kind', subTypes: [{ value: Branch, name: 'branch' }] } })
  root!: Branch;
}

/** class-validator's `@ArrayUnique()` compares every pair of items (crest caps them at 1,000). */
export class UniqueIds {
  @IsArray() @ArrayUnique() ids!: number[];
}

export class UniqueIdGroups {
  @IsArray() @ValidateNested({ each: true }) @Type(() => UniqueIds) groups!: UniqueIds[];
}

export class SearchQuery {
  @IsOptional() @IsString() q?: string;
}

@Controller()
class HostileController {
  @Get('/ping') ping() {
    return { ok: true };
  }
  @Post('/item') item(@Body() item: Item) {
    return { qty: item.qty };
  }
  @Post('/tree') tree(@Body() tree: Tree) {
    return { kind: typeof tree.root };
  }
  @Post('/pet') pet(@Body() pet: Pet) {
    return { name: pet.pet.name };
  }
  @Post('/exposed') exposed(@Body() item: ExposedItem) {
    return { qty: item.qty };
  }
  @Post('/unique-ids') uniqueIds(@Body() body: UniqueIds) {
    return { ids: body.ids.length };
  }
  @Post('/unique-id-groups') uniqueIdGroups(@Body() body: UniqueIdGroups) {
    return { groups: body.groups.length };
  }
  @Post('/order') order(@Body() order: Order) {
    return { items: order.items.length };
  }
  @Post('/tags') tags(@Body() tagged: Tagged) {
    return { tags: tagged.tags?.length ?? 0 };
  }
  @Post('/tags-checked') tagsChecked(@Body() tagged: TaggedChecked) {
    return { tags: tagged.tags?.length ?? 0 };
  }
  @Post('/bytes') bytes(@Body() body: Buffer) {
    return { bytes: body.length };
  }
  @Get('/number/:n') numberParam(@Param('n') n: number) {
    return { n };
  }
  @Get('/number-query') numberQuery(@Query('n') n: number) {
    return { n };
  }
  @Get('/number-header') numberHeader(@Header('x-n') n: number) {
    return { n };
  }
  @Get('/number-cookie') numberCookie(@Cookie('n') n: number) {
    return { n };
  }
  @Get('/tag-list') tagList(@Query('tag', { type: [String] }) tags: string[]) {
    return { tags: tags.length };
  }
  @Get('/search') search(@Query() query: SearchQuery) {
    return { q: query.q ?? null };
  }
  @Get('/header') header(@Header('x-r') value: string) {
    return { length: value?.length ?? 0 };
  }
  @Get('/cookie') cookie(@Cookie('c0') value: string) {
    return { length: value?.length ?? 0 };
  }
  @Get('/segment/:id') segment(@Param('id') id: string) {
    return { length: id.length };
  }
  @Get('/wild/*') wild(@Req() req: HttpRequest) {
    return { length: req.path.length };
  }
}

/** The app every transport serves, with the defaults (6 MB body limit) and a listed CORS origin. */
export function createBenchApp(): App {
  return createApp({ controllers: [HostileController], middleware: [cors({ origin: ['https://app.example'] })] });
}

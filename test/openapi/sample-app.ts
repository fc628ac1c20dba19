import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  All,
  Body,
  Controller,
  Cookie,
  Delete,
  Doc,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  ResponseSchema,
  type HttpRequest,
} from '../../src';

export enum Role {
  Admin = 'admin',
  Member = 'member',
}

export class Address {
  @IsString() @Length(1, 80) city!: string;
  @IsOptional() @IsString() street?: string;
}

export class CreateUser {
  @IsEmail() email!: string;
  @IsString() @Length(2, 40) name!: string;
  @IsInt() @Min(0) @Max(150) age!: number;
  @IsEnum(Role) role!: Role;
  @IsOptional() @IsString({ each: true }) @ArrayMaxSize(5) tags?: string[];
  @ValidateNested() @Type(() => Address) address!: Address;
}

export class User {
  @IsUUID() id!: string;
  @IsEmail() email!: string;
  @IsString() name!: string;
}

export class UserSearch {
  @IsOptional() @IsString() q?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @IsIn(['name', 'email']) sort!: string;
}

@Controller('/users')
@Doc({ tags: ['users'] })
export class UsersController {
  @Get('/')
  @Doc({ summary: 'Search users', operationId: 'searchUsers' })
  @ResponseSchema(User, { isArray: true })
  search(@Query() query: UserSearch) {
    return [query];
  }

  @Get('/:id(^\\d+)')
  @ResponseSchema(User, { description: 'The user' })
  show(@Param('id') id: number, @Header('x-trace') _trace: string, @Cookie('session') _session: string) {
    return { id };
  }

  @Post('/')
  @HttpCode(201)
  @ResponseSchema(User, { status: 201 })
  create(@Body() input: CreateUser) {
    return input;
  }

  @Delete('/:id')
  @Doc({ deprecated: true })
  remove(@Param('id') _id: string, @Query('force', { type: Boolean, required: true }) _force: boolean) {}

  @Get('/:id/tags')
  tags(@Param('id') _id: string, @Query('tag', { type: [String] }) tags: string[], @Query('since') since: Date) {
    return { tags, since };
  }
}

@Controller('/files')
export class FilesController {
  @Get('/*')
  file(@Req() req: HttpRequest) {
    return req.params['*'];
  }

  @All('/echo')
  echo(@Body(String) text: string) {
    return text;
  }

  @Get('/hidden')
  @Doc({ hidden: true })
  hidden() {
    return 'no';
  }
}

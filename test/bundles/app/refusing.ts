/*
 * The same kind of app with one `@Type` forgotten: a bundle has no design:type to fall back on,
 * so crest must refuse to boot rather than send the nested object whole.
 */
import 'reflect-metadata';
import { Controller, createApp, Get, ResponseSchema } from 'crest';
import { IsString, ValidateNested } from 'class-validator';
import { Owner } from './dtos';

export class Leaky {
  @IsString() name!: string;
  @ValidateNested() owner!: Owner;
}

@Controller('/leaky')
class LeakyController {
  @Get('/')
  @ResponseSchema(Leaky)
  show() {
    return { name: 'Rex', owner: { name: 'Ann', passwordHash: 'HASH!' } };
  }
}

export const app = createApp({ controllers: [LeakyController] });
export const handler = app.lambda();

/*
 * A small user app, written as a CDK user would for a bundle: explicit parameter types, `@Type`
 * on nested DTOs. test/bundles builds it with esbuild in every format AWS CDK offers. It imports
 * no Reflect metadata polyfill: crest puts its own on `Reflect` (refusing.ts imports
 * reflect-metadata first, as class-transformer's README asks, and bundles too).
 */
import { Body, Controller, createApp, Get, HttpCode, Param, Post, Query, ResponseSchema } from 'crest';
import { NewPet, Owner, Paging, Pet } from './dtos';

/** What the store holds: more than any answer may show. */
const ann = { name: 'Ann', passwordHash: 'HASH!' };
const records = new Map([
  [
    7,
    {
      id: 7,
      name: 'Rex',
      internalNote: 'bites',
      owner: ann,
      carers: [ann, { name: 'Bo', passwordHash: 'X' }],
      vet: ann,
    },
  ],
  [8, { id: 8, name: 'Tom', internalNote: '', owner: ann, carers: [] }],
]);

@Controller('/pets')
class PetsController {
  @Get('/:id')
  @ResponseSchema(Pet)
  show(@Param('id', { type: Number }) id: number) {
    return records.get(id) ?? { id, name: 'unknown', owner: ann, carers: [] };
  }

  @Post('/')
  @HttpCode(201)
  create(@Body(NewPet) pet: NewPet) {
    return { created: pet.name, age: pet.age, owner: pet.owner.name, ownerIsDto: pet.owner instanceof Owner };
  }

  @Get('/')
  list(@Query(Paging) paging: Paging) {
    return { limit: paging.limit ?? 10, type: typeof paging.limit };
  }
}

export const app = createApp({ controllers: [PetsController], prefix: '/api' });
export const handler = app.lambda();

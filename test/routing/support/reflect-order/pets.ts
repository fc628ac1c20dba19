/*
 * DTOs whose types crest reads from TypeScript's emitted metadata (`design:type`, through the
 * global Reflect metadata API): test/routing/reflect-metadata.test.ts loads them before or after
 * reflect-metadata, in a fresh process per order (see the entry files beside this one).
 */
import { Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';

export class Owner {
  @IsString() name!: string;
}

export class Pet {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Owner) owner!: Owner;
}

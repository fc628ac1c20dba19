import { Type } from 'class-transformer';
import { IsString, Matches, ValidateNested } from 'class-validator';

export { EchoDto, UserAnswer } from './two-dtos';

/** `GET /postal_code?code=1000001`, as the example's LookupQuery. */
export class LookupQuery {
  @Matches(/^\d{7}$/, { message: 'code must be 7 digits, e.g. 1000001' })
  code!: string;
}

/*
 * Response DTOs: crest's counterpart of fastify's response schemas (`@ResponseSchema` compiles
 * a serializer from them), declaring the same properties.
 */
export class HelloAnswer {
  @IsString() hello!: string;
}

export class SearchAnswer {
  @IsString() q!: string;
  @IsString({ each: true }) tags!: string[];
}

export class PostalAddress {
  @IsString() prefecture!: string;
  @IsString() locality!: string;
  @IsString() address!: string;
}

export class PostalAnswer {
  @IsString() code!: string;
  @ValidateNested({ each: true }) @Type(() => PostalAddress) addresses!: PostalAddress[];
}

import { IsInt, IsString, Matches } from 'class-validator';

/** POST /echo's body for crest and the decorator peers (routing-controllers, NestJS). */
export class EchoDto {
  @IsString()
  name!: string;

  @IsInt()
  age!: number;
}

/** `GET /postal_code?code=1000001`, as the example's LookupQuery. */
export class LookupQuery {
  @Matches(/^\d{7}$/, { message: 'code must be 7 digits, e.g. 1000001' })
  code!: string;
}

import { IsInt, IsString } from 'class-validator';

/*
 * The two DTOs of the cold-start app with DTOs (apps/crest-two-dtos.ts), in a module of their own
 * so that its bundle registers these two and no other; dto.ts re-exports them for the other apps.
 */

/** POST /echo's body for crest and the decorator peers (routing-controllers, NestJS). */
export class EchoDto {
  @IsString()
  name!: string;

  @IsInt()
  age!: number;
}

/** GET /users/:id's answer. */
export class UserAnswer {
  @IsString() id!: string;
}

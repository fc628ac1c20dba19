import { IsInt, IsString } from 'class-validator';

/** POST /echo's body for crest and the decorator peers (routing-controllers, NestJS). */
export class EchoDto {
  @IsString()
  name!: string;

  @IsInt()
  age!: number;
}

import { Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';

/** A person as the API shows them: a name, never the password hash the store keeps. */
export class Owner {
  @IsString() @MinLength(1) name!: string;
}

/** What GET /pets/:id answers: nested, list and optional nested DTOs, each with `@Type`. */
export class Pet {
  @IsInt() id!: number;
  @IsString() name!: string;
  @ValidateNested() @Type(() => Owner) owner!: Owner;
  @ValidateNested({ each: true }) @Type(() => Owner) @ArrayMaxSize(5) carers!: Owner[];
  @IsOptional() @ValidateNested() @Type(() => Owner) vet?: Owner;
}

/** The body of POST /pets. */
export class NewPet {
  @IsString() name!: string;
  @IsInt() @Min(0) @Max(40) age!: number;
  @ValidateNested() @Type(() => Owner) owner!: Owner;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Owner) carers?: Owner[];
}

/** The query of GET /pets: text converted to a number by `@Type`. */
export class Paging {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50) limit?: number;
}

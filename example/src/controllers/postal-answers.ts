import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';

/*
 * What the postal routes answer. `@ResponseSchema` documents them in OpenAPI and serializes
 * with them: only the properties declared here are sent.
 */

export class AddressAnswer {
  /** `東京都` */
  @IsString() prefecture!: string;
  /** Municipality and town area as Japan Post writes them: `千代田区千代田`. */
  @IsString() locality!: string;
  /** The two together, ready to print: `東京都千代田区千代田`. */
  @IsString() address!: string;
}

/** `GET /api/postal_code`: a code and every address it stands for (usually one; up to 66). */
export class LookupAnswer {
  @IsString() code!: string;
  @ValidateNested({ each: true }) @Type(() => AddressAnswer) addresses!: readonly AddressAnswer[];
}

/** `GET /api/postal_codes`: a page of codes in order. */
export class SearchAnswer {
  @IsString() prefix!: string;
  @ValidateNested({ each: true }) @Type(() => LookupAnswer) items!: LookupAnswer[];
  /** Pass as `cursor` for the next page; null on the last one. */
  @IsOptional() @IsString() nextCursor!: string | null;
}

/** `GET /api/postal_codes/batch`: the codes found, and those that do not exist. */
export class BatchAnswer {
  @ValidateNested({ each: true }) @Type(() => LookupAnswer) items!: LookupAnswer[];
  @IsString({ each: true }) missing!: string[];
}

/** `GET /api/postal_code/lookups`: how many times the lookup route answered a code. */
export class LookupCountAnswer {
  @IsString() code!: string;
  @IsInt() @Min(0) lookups!: number;
}

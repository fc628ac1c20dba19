import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** `?code=1000001` */
export class LookupQuery {
  @Matches(/^\d{7}$/, { message: 'code must be 7 digits, e.g. 1000001' })
  code!: string;
}

/** `?code=1000001&code=1600023`: a single value arrives as a string, repeated keys as a list. */
export class BatchQuery {
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value : [value]))
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^\d{7}$/, { each: true, message: 'each code must be 7 digits' })
  code!: string[];
}

/** `?prefix=100&limit=20&cursor=1000020` */
export class SearchQuery {
  @Matches(/^\d{1,7}$/, { message: 'prefix must be 1 to 7 digits' })
  prefix!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  /** The previous page's `nextCursor`. */
  @IsOptional()
  @Matches(/^\d{7}$/, { message: 'cursor must be a 7-digit code' })
  cursor?: string;
}

/** `?prefix=13`: every code under a prefix, streamed. */
export class ExportQuery {
  @Matches(/^\d{1,7}$/, { message: 'prefix must be 1 to 7 digits' })
  prefix!: string;
}

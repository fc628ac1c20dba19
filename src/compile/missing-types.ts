import { CrestBootError, ErrorCodes } from '../errors';
import {
  declaredProperties,
  isDtoClass,
  isList,
  isNested,
  nestedClass,
  typeDecorations,
  type DeclaredProperty,
} from '../metadata/dto-metadata';
import type { Class, ParamMetadata } from '../metadata/metadata';

/** How a DTO is used, which decides what its properties need. */
export type DtoUse = 'body' | 'query' | 'response';

// Rules that only pass a number, a boolean or a date: a query value is text, and class-transformer
// converts it only to a type it knows (`@Type`, or `design:type` with implicit conversion).
const CONVERTED_BY: Record<string, string> = {
  isInt: 'Number',
  isNumber: 'Number',
  min: 'Number',
  max: 'Number',
  isPositive: 'Number',
  isNegative: 'Number',
  isDivisibleBy: 'Number',
  isBoolean: 'Boolean',
  isDate: 'Date',
  minDate: 'Date',
  maxDate: 'Date',
};

/**
 * Every type crest needs and cannot find, gathered over the whole app so that one boot error
 * lists them all: a bundle without decorator metadata usually lacks many at once, and fixing
 * them one boot at a time would take as many deploys. Each entry says what to write; every
 * suggestion is code that compiles against crest's and class-transformer's decorators.
 */
export class MissingTypes {
  private readonly problems: string[] = [];
  private readonly checked = new Map<Class, Set<DtoUse>>();
  /** Properties already listed, by class: one fix serves every use of the DTO. */
  private readonly listed = new Map<Class, Set<string>>();

  /** A parameter whose type neither decorator metadata nor its decorator gives. */
  param(where: string, param: ParamMetadata): void {
    const name = param.name === undefined ? '' : `'${param.name}'`;
    const decorator = `@${param.kind[0]!.toUpperCase()}${param.kind.slice(1)}`;
    const suggestion =
      param.name !== undefined
        ? `\`${decorator}(${name}, { type: Number })\` (or String, Boolean, Date; [String] for a list)`
        : `\`${decorator}(YourDto)\` with its DTO class` +
          (param.kind === 'body' ? ' (or String, Buffer, Object for a raw body)' : '');
    this.problems.push(`${where}, parameter ${param.index}: ${decorator}(${name}) has no type; write ${suggestion}.`);
  }

  /** Checks a DTO and every DTO nested in it for the types its use needs. */
  dto(dto: Class, use: DtoUse): void {
    let uses = this.checked.get(dto);
    if (uses?.has(use)) return;
    if (uses === undefined) this.checked.set(dto, (uses = new Set()));
    uses.add(use);
    const properties = declaredProperties(dto);
    const open = properties.filter((property) => isNested(property) || conversion(property, use) !== undefined);
    if (open.length === 0) return;
    const typeDecorated = typeDecorations(
      dto,
      open.map((property) => property.name),
    );
    for (const property of open) {
      const where = `${dto.name || 'anonymous class'}.${property.name}`;
      const declared = typeDecorated.get(property.name);
      if (!isNested(property)) {
        if (declared === undefined) {
          this.list(
            dto,
            property.name,
            `${where}: a query value is text and this property has no type to convert it to; ` +
              `add \`@Type(() => ${conversion(property, use)!})\` from class-transformer.`,
          );
        }
        continue;
      }
      // A request needs @Type: class-transformer builds nested DTOs from it alone. A response
      // can also use design:type where the compiler emitted it.
      const nested = use === 'response' ? nestedClass(property, typeDecorated) : declared;
      if (nested !== undefined) {
        if (isDtoClass(nested)) this.dto(nested, use);
        continue;
      }
      const name = className(property);
      this.list(
        dto,
        property.name,
        `${where}: @ValidateNested() has no class to ${use === 'response' ? 'serialize' : 'validate'} it with; ` +
          `add \`@Type(() => ${name})\` from class-transformer` +
          (isDtoClass(property.designType)
            ? '.'
            : `, with ${name} the class of its ${isList(property) ? 'elements' : 'value'}.`),
      );
    }
  }

  private list(dto: Class, property: string, problem: string): void {
    let listed = this.listed.get(dto);
    if (listed === undefined) this.listed.set(dto, (listed = new Set()));
    if (listed.has(property)) return;
    listed.add(property);
    this.problems.push(problem);
  }

  /** Throws one `CREST_MISSING_TYPE` error listing every problem found, if any. */
  throwIfAny(): void {
    if (this.problems.length === 0) return;
    throw new CrestBootError(
      ErrorCodes.MISSING_TYPE,
      `crest cannot find ${this.problems.length === 1 ? 'a type' : `${this.problems.length} types`} it needs. ` +
        'esbuild (as AWS CDK and SAM run it), tsx and Vite emit no decorator metadata, and class-transformer ' +
        'builds nested DTOs from @Type alone. Give each one:\n' +
        // Sorted: by class and member, parameters in order, whatever order decorators ran in.
        [...this.problems]
          .sort()
          .map((problem) => `  - ${problem}`)
          .join('\n'),
    );
  }
}

/** The type a query DTO property's text must be converted to, when metadata cannot say. */
function conversion(property: DeclaredProperty, use: DtoUse): string | undefined {
  if (use !== 'query' || property.designType !== undefined) return undefined;
  return property.rules.map((rule) => CONVERTED_BY[rule.name ?? '']).find(Boolean);
}

/** The nested class's name where metadata gives it, else one made from the property's name. */
function className(property: DeclaredProperty): string {
  if (isDtoClass(property.designType) && property.designType.name !== '') return property.designType.name;
  let name = property.name.replace(/^[^A-Za-z_$]+|[^\w$]/g, '') || 'Item';
  // `items` holds Items: the element class reads singular.
  if (isList(property)) name = name.replace(/ies$/, 'y').replace(/([^s])s$/, '$1');
  return name[0]!.toUpperCase() + name.slice(1);
}

import { resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../../../..');
/** Never written: the compiler host serves it, beside the tests so that `../../src` resolves. */
const FILE = resolve(ROOT, 'test/routing/support/suggested-code.ts');
/** Names the snippets may use that need no placeholder: the decorators and built-in types. */
const KNOWN = new Set(['Body', 'Boolean', 'Buffer', 'Cookie', 'Date', 'Header', 'Number', 'Object', 'Param']);
const KNOWN_TYPES = new Set([...KNOWN, 'Query', 'String', 'Type']);

/**
 * Type-checks each decorator snippet where a user would paste it (`@Type(...)` on a nested DTO
 * property, the others on a handler parameter), with the project's decorator settings, and
 * returns the compiler's errors: none when every snippet compiles. Class names a snippet uses
 * as its placeholders (`YourDto`, `Owner`) are declared as empty classes.
 */
export function compileSnippets(snippets: readonly string[]): string[] {
  const placeholders = new Set<string>();
  for (const snippet of snippets) {
    for (const [name] of snippet.matchAll(/\b[A-Z]\w*/g)) if (!KNOWN_TYPES.has(name)) placeholders.add(name);
  }
  const parameters = snippets.filter((snippet) => !snippet.startsWith('@Type('));
  const properties = snippets.filter((snippet) => snippet.startsWith('@Type('));
  const source = [
    "import { Body, Cookie, Header, Param, Query } from '../../../src/metadata/decorators';",
    "import { Type } from 'class-transformer';",
    "import { ValidateNested } from 'class-validator';",
    ...[...placeholders].map((name) => `class ${name} {}`),
    'export class SuggestedHandlers {',
    ...parameters.map((snippet, index) => `  h${index}(${snippet} value: unknown): unknown { return value; }`),
    '}',
    'export class SuggestedDto {',
    ...properties.map((snippet, index) => `  @ValidateNested() ${snippet} p${index}!: unknown;`),
    '}',
  ].join('\n');

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    fileName === FILE ? ts.createSourceFile(fileName, source, language) : getSourceFile(fileName, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === FILE || fileExists(fileName);
  const program = ts.createProgram([FILE], options, host);
  const file = program.getSourceFile(FILE)!;
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((diagnostic) => {
    const line = diagnostic.start === undefined ? '?' : file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
    return `${line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}\n  ${source.split('\n')[Number(line) - 1]}`;
  });
}

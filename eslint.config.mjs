import eslint from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'build/',
      'node_modules/',
      'bench/node_modules/',
      'example/node_modules/',
      'example/.build/',
      'bench/.build/',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The type-checked rules, on the library only (tests and benches lean on chai's loose types).
    // Tuned where they fight what crest does on purpose:
    // - prefer-promise-reject-errors: crest relays what user code threw or rejected with, any
    //   value, unchanged (`allowThrowingUnknown`).
    // - no-base-to-string: off; its hits stringify event fields and header values of unknown type
    //   on purpose, as API Gateway itself would (event-fields.ts, result-headers.ts).
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // Code that serves requests runs its regexes on client data: one whose worst case is
    // super-linear (ReDoS: backtracking, or a search that rescans from every position) fails the
    // lint. `ignorePartial: false` also checks regexes whose use the rule cannot see.
    files: ['src/**/*.ts', 'example/src/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { ignorePartial: false, ignoreSticky: false }],
    },
  },
  {
    files: ['test/**/*.ts', 'example/test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
);

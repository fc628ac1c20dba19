/*
 * Stands in for fast-querystring in crest's builds of find-my-way (scripts/build.mjs, an esbuild
 * alias): crest gives find-my-way its own `querystringParser` and hands it paths without a
 * query, so find-my-way's default parser is never called, and an app's bundle need not carry it
 * (2.3 kB minified).
 */
function unused(): never {
  throw new Error('crest: find-my-way was given its own querystringParser; fast-querystring is not bundled');
}

export const parse = unused;
export const stringify = unused;

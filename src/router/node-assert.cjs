/*
 * node:assert as find-my-way calls it, `assert(value, message)` (every one of its 26 calls, all at
 * route registration), for crest's builds of find-my-way (scripts/build.mjs, an esbuild alias):
 * find-my-way requires node:assert at import, and loading it costs every cold start more internal
 * modules, node:stream's among them (test/bundles checks that it is not loaded). crest
 * reads only the message of what it throws (src/router/router.ts: CREST_INVALID_ROUTE,
 * CREST_DUPLICATE_ROUTE).
 */
module.exports = function assert(value, message) {
  if (!value) throw new Error(message);
};

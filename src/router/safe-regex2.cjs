/*
 * safe-regex2's CommonJS shape, for crest's builds of find-my-way (scripts/build.mjs, an esbuild
 * alias): find-my-way calls `require('safe-regex2')` itself as the check, and an
 * ES module required through esbuild is a namespace object, not a function. See regex-safety.ts.
 */
module.exports = require('./regex-safety.ts').isRegexSafe;

/*
 * safe-regex2's CommonJS shape, for crest's ESM build of find-my-way (package.json `build:esm`,
 * `--alias:safe-regex2`): find-my-way calls `require('safe-regex2')` itself as the check, and an
 * ES module required through esbuild is a namespace object, not a function. See regex-safety.ts.
 */
module.exports = require('./regex-safety.ts').isRegexSafe;

/*
 * find-my-way, through one module of crest's own: find-my-way is CommonJS and requires
 * `node:assert`, which an ESM bundle cannot do (esbuild: "Dynamic require of "node:assert" is not
 * supported"). crest's ESM build bundles find-my-way into this file, so an app bundled as ESM
 * starts without a banner; both builds leave out the parts of find-my-way crest never runs, its
 * node:assert among them (scripts/build.mjs).
 */
import FindMyWay from 'find-my-way';

export default FindMyWay;

/*
 * Stands in for two modules of find-my-way in crest's builds (scripts/build.mjs): its
 * compiler mode (`router.compile()`, lib/compiler.js, 11 kB minified) and `prettyPrint()`
 * (lib/pretty-print.js, 2 kB). crest calls neither, but find-my-way requires both at import, so
 * every bundled app would parse them at each cold start. Should a later crest call one, it fails
 * loudly here instead of routing wrongly.
 */
function unused(name) {
  return () => {
    throw new Error(`crest's build of find-my-way leaves out ${name}`);
  };
}

module.exports = { compileTree: unused('compile()'), prettyPrintTree: unused('prettyPrint()') };

import { mapLookup, packedLookup, spreadOfCodes, type PostalLookup } from '../apps/postal';
import { median } from '../stats';

/*
 * `node .build/src/micro/postal-lookup.js` (pin it: `taskset -c 0 …`): the example's postal
 * lookup in-process, over the packed data its embedded store opens and over the Map it built
 * before, alternated; each call looks up one of 2,000 real codes and serializes the answer as
 * the route does. Prints the median ns per lookup of each: what the packed format adds to (or
 * saves from) every GET /postal_code.
 */

const CODES = spreadOfCodes(2000);
const CALLS = 200_000;

function timeLookups(lookup: PostalLookup): number {
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    const code = CODES[i % CODES.length]!;
    bytes += JSON.stringify({ code, addresses: lookup(code) }).length;
  }
  const ns = Number(process.hrtime.bigint() - started) / CALLS;
  if (bytes === 0) throw new Error('no answers');
  return ns;
}

const lookups = { packed: packedLookup(), map: mapLookup() };
const samples: Record<string, number[]> = { packed: [], map: [] };
for (let round = 0; round < 12; round++) {
  for (const [name, lookup] of Object.entries(lookups)) {
    const ns = timeLookups(lookup);
    if (round >= 2) samples[name]!.push(ns); // the first two rounds warm the JIT
  }
}
for (const [name, list] of Object.entries(samples))
  console.log(`${name.padEnd(8)} ${median(list).toFixed(0)} ns per lookup`);

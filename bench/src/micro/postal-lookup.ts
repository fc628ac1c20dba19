import { mapLookup, packedLookup, spreadOfCodes, type PostalLookup } from '../apps/postal';
import { median } from '../stats';

/*
 * `node .build/src/micro/postal-lookup.js` (pin it: `taskset -c 0 …`): the example's postal
 * lookup in-process, through its embedded store (packed data, recent codes kept decoded) and
 * through the Map it built before, alternated; each call looks up a code and serializes the
 * answer as the route does: one hot code, then a walk through 20,000 codes (more than the store
 * keeps decoded). Prints the median ns per lookup of each.
 */

const WORKLOADS = { 'one code': ['1000001'], '20,000 codes': spreadOfCodes(20_000) };
const CALLS = 200_000;

function timeLookups(lookup: PostalLookup, codes: readonly string[]): number {
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    const code = codes[i % codes.length]!;
    bytes += JSON.stringify({ code, addresses: lookup(code) }).length;
  }
  const ns = Number(process.hrtime.bigint() - started) / CALLS;
  if (bytes === 0) throw new Error('no answers');
  return ns;
}

const lookups = { packed: packedLookup(), map: mapLookup() };
for (const [workload, codes] of Object.entries(WORKLOADS)) {
  const samples: Record<string, number[]> = { packed: [], map: [] };
  for (let round = 0; round < 12; round++) {
    for (const [name, lookup] of Object.entries(lookups)) {
      const ns = timeLookups(lookup, codes);
      if (round >= 2) samples[name]!.push(ns); // the first two rounds warm the JIT
    }
  }
  const [packed, map] = [median(samples.packed!), median(samples.map!)];
  console.log(`${workload.padEnd(14)} packed ${packed.toFixed(0)} ns, map ${map.toFixed(0)} ns per lookup`);
}

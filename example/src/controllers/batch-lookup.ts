import type { PostalStore } from '../store/postal-store';
import type { BatchAnswer } from './postal-answers';

/** Looks up distinct `codes` in one round trip: the codes found with their addresses, and the rest. */
export async function batchLookup(store: PostalStore, codes: readonly string[]): Promise<BatchAnswer> {
  const found = await store.lookupMany(codes);
  const answer: BatchAnswer = { items: [], missing: [] };
  codes.forEach((code, i) => {
    const addresses = found[i];
    if (addresses === undefined) answer.missing.push(code);
    else answer.items.push({ code, addresses });
  });
  return answer;
}

/**
 * Lookups per postal code, in memory: the embedded store's counter. Per process and lost on
 * restart; Redis keeps one shared count instead. Only codes that exist are counted, so the map
 * holds at most one entry per code of the data set, whatever clients send.
 */
export class LookupCounts {
  private readonly counts = new Map<string, number>();

  add(code: string): void {
    this.counts.set(code, this.of(code) + 1);
  }

  of(code: string): number {
    return this.counts.get(code) ?? 0;
  }
}

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self and inclusive time per
 * function and self time per package or crest source file, so hot spots can be named precisely.
 * Usage: node .build/src/profile.js <file.cpuprofile> [filter] [rows]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (pkg) return pkg[1]!;
  if (path.includes('/dist/')) return `crest:${path.slice(path.lastIndexOf('/dist/') + 6)}`;
  if (path.startsWith('node:') || path === '') return path || '(native)';
  return relative(process.cwd(), path);
}

function main(): void {
  const [file, filter = '', rows = '30'] = process.argv.slice(2);
  const profile = JSON.parse(readFileSync(file!, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + delta);
    total += delta;
  });
  const label = (node: ProfileNode) =>
    `${where(node.callFrame.url)} ${node.callFrame.functionName || '(anonymous)'}:${node.callFrame.lineNumber + 1}`;
  const selfByFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  for (const [id, time] of self) {
    const node = byId.get(id)!;
    selfByFunction.set(label(node), (selfByFunction.get(label(node)) ?? 0) + time);
    const file = where(node.callFrame.url);
    selfByFile.set(file, (selfByFile.get(file) ?? 0) + time);
    const seen = new Set<string>();
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const name = label(byId.get(cursor)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + time);
    }
  }
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title} (of ${(total / 1000).toFixed(1)} ms sampled)`);
    [...map]
      .filter(([name]) => name.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(rows))
      .forEach(([name, time]) =>
        console.log(
          `${((100 * time) / total).toFixed(1).padStart(5)}%  ${(time / 1000).toFixed(1).padStart(8)} ms  ${name}`,
        ),
      );
  };
  print('self time by package / crest file', selfByFile);
  print('self time by function', selfByFunction);
  print('inclusive time by function', inclusive);
}

main();

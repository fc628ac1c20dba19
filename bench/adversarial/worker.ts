// One hostile class on in-process transports (inject, Lambda event sources), in a process of
// its own pinned to one CPU by main.ts: prints a JSON line before and after each size.
import { createBenchApp } from './app';
import { findClass, type Transport } from './classes';
import { createInvoker, type Invocation } from './invoke';
import { measure, type Batch, type MeasureSettings } from './measure';
import { SKIP_AFTER_MS, type WorkerLine } from './protocol';

// Before anything is timed, each transport serves the class's smallest request for this long
// (CPU ms), so the first size is not timed on code V8 has not optimized yet.
const PREWARM_MS = 250;

async function main(): Promise<void> {
  const [name, transportList, settings, scaleList] = process.argv.slice(2);
  const hostile = findClass(name!);
  const transports = transportList!.split(',') as Array<Exclude<Transport, 'node'>>;
  const scales = scaleList!.split(',').map(Number);
  const app = createBenchApp();
  const invokers = transports.map((transport) => createInvoker(app, transport));
  const smallest = hostile.build(hostile.base * scales[0]!);
  await prewarm(invokers.map((invoker) => () => invoker(smallest)));
  for (const [index, transport] of transports.entries()) {
    for (const scale of scales) {
      say({ transport, scale });
      const request = hostile.build(hostile.base * scale);
      const batch: Batch = async (count) => {
        const invocations = Array.from({ length: count }, () => invokers[index]!(request));
        const statuses: number[] = [];
        const start = process.cpuUsage();
        for (const invoke of invocations) statuses.push(await invoke());
        const used = process.cpuUsage(start);
        return { cpuMicros: used.user + used.system, statuses };
      };
      const sample = await measure(batch, JSON.parse(settings!) as MeasureSettings);
      say({ transport, scale, sample });
      if (sample.ms > SKIP_AFTER_MS) break;
    }
  }
}

/** Round-robin over the transports until PREWARM_MS of CPU is spent, or one request alone is slow. */
async function prewarm(prepare: Array<() => Invocation>): Promise<void> {
  const start = process.cpuUsage();
  const spent = (): number => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  for (const next of prepare) await next()();
  // One round took a tenth of the budget already: requests that slow hardly depend on the JIT.
  if (spent() > PREWARM_MS / 10) return;
  while (spent() < PREWARM_MS) for (const next of prepare) await next()();
}

function say(line: WorkerLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

void main();

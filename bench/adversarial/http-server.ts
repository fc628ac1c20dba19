// The node:http side: the bench app on a loopback port, in a process pinned to one CPU by
// main.ts, which asks it over IPC for its CPU time before and after each run.
import type { AddressInfo } from 'node:net';
import { createBenchApp } from './app';
import type { ServerMessage } from './protocol';

function tell(message: ServerMessage): void {
  process.send!(message);
}

void createBenchApp()
  .listen(0, '127.0.0.1')
  .then((server) => {
    process.on('message', () => {
      const used = process.cpuUsage();
      tell({ cpuMicros: used.user + used.system });
    });
    tell({ port: (server.address() as AddressInfo).port });
  });

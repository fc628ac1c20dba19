/**
 * Preloaded (`node --require`) into the server `npm run example:measure` starts: answers each
 * IPC message from the measuring process with this process's memory and CPU time so far.
 */
process.on('message', () => process.send?.({ memory: process.memoryUsage(), cpu: process.cpuUsage() }));

/**
 * Preloaded (`node --require`) into the server `npm run example:measure` starts: answers each
 * IPC message from the measuring process with this process's memory and CPU time so far, and
 * exits at once on `exit` (`--instructions`: callgrind's count then ends with the first answer).
 */
process.on('message', (message) => {
  if (message === 'exit') process.exit(0);
  process.send?.({ memory: process.memoryUsage(), cpu: process.cpuUsage() });
});

import { httpTarget } from './targets';

/** Child process: `node serve.js <target> <port>`; prints `ready` once listening. */
async function main(): Promise<void> {
  const [name, port] = process.argv.slice(2);
  await httpTarget(name!).listen(Number(port));
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

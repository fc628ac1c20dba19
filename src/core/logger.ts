/** The part of pino's interface crest uses; pass a pino logger as it is. */
export interface Logger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** `logger: true` gives this: one JSON line per entry on stdout, pino's field names. */
export function createJsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const entry = (level: number) => (object: object, message?: string) => {
    write(
      `${JSON.stringify({ level, time: Date.now(), ...object, ...(message === undefined ? {} : { msg: message }) })}\n`,
    );
  };
  return { info: entry(30), warn: entry(40), error: entry(50) };
}

export function resolveLogger(option: boolean | Logger | undefined): Logger | undefined {
  if (option === true) return createJsonLogger();
  return option === false || option === undefined ? undefined : option;
}

/** What a log line says about an error: its name, message and stack, nothing circular. */
export function describeError(error: unknown): object {
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { message: String(error) };
}

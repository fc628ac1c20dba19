import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The real captured events and results in test/fixtures/aws-events (see its SOURCES.md), read as
 * they are. Tests run from build/test/…, so the fixtures are read from the source tree.
 */
export const AWS_EVENTS_DIR = resolve(__dirname, '../../../../test/fixtures/aws-events');

/** A fresh copy of a captured event or result, so a test can change it. */
export function awsEvent(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(AWS_EVENTS_DIR, name), 'utf8')) as Record<string, unknown>;
}

/** Every captured event (not the results, not the path matrix), by file name. */
export function capturedEventFiles(): string[] {
  return readdirSync(AWS_EVENTS_DIR)
    .filter((file) => file.endsWith('.json') && !file.startsWith('result-') && !file.includes('matrix'))
    .sort();
}

/** The live HTTP API path matrix: what HTTP API made of each encoded path. */
export interface PathObservation {
  sentPath: string;
  httpAPIPath?: string;
  httpAPIRejected?: boolean;
}

export function pathMatrix(): PathObservation[] {
  return JSON.parse(
    readFileSync(resolve(AWS_EVENTS_DIR, 'http-api-path-decoding-matrix-live.json'), 'utf8'),
  ) as PathObservation[];
}

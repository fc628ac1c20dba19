import type * as NodeCrypto from 'node:crypto';
import type * as NodeHttp from 'node:http';
import type * as NodeZlib from 'node:zlib';

/*
 * The Node built-ins crest loads on first use rather than at import, so that a Lambda cold start
 * does not pay for them (node:http and node:zlib take several milliseconds each to load).
 *
 * They live in this one file because a bare `require` of a built-in breaks an ESM bundle: esbuild
 * turns it into a shim that throws "Dynamic require of "node:http" is not supported". crest's ESM
 * build (scripts/build.mjs) bundles this file with a `require` of its own, made on first use, so
 * the requires below work in every format an app is bundled to.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

export const loadHttp = (): typeof NodeHttp => require('node:http') as typeof NodeHttp;
export const loadCrypto = (): typeof NodeCrypto => require('node:crypto') as typeof NodeCrypto;
export const loadZlib = (): typeof NodeZlib => require('node:zlib') as typeof NodeZlib;

/*
 * @fastify/busboy, through one module of crest's own, required by multipart-reader.ts on first use:
 * busboy is CommonJS and requires `node:stream`, which an ESM bundle cannot do. crest's ESM build
 * (scripts/build.mjs) bundles busboy into this file with a `require` of its own, as it does
 * find-my-way (src/router/find-my-way.ts).
 */
export { Busboy } from '@fastify/busboy';

/*
 * The multipart/form-data parser, required by multipart.ts on first use so that an app that never
 * receives a form never loads it (the same pattern as dto-libraries.ts, for the same bundlers).
 *
 * @fastify/busboy rather than busboy: the same streaming parser (Dicer and streamsearch, a
 * Boyer-Moore-Horspool search for the boundary, so a part costs time linear in its size), forked
 * and kept by the fastify team since busboy's last release (1.6.0, 2024): it is what
 * @fastify/multipart and undici's `formData()` parse with, it has no dependencies, it ships its
 * own types, and its releases fix the malformed-input crashes (an unhandled 'error' on a skipped
 * part cut short) that a server must never have.
 */
export { Busboy } from '@fastify/busboy';

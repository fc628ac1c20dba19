/*
 * The few names crest uses from class-validator and class-transformer, imported by name so that a
 * bundler keeps only what they need: an ESM bundle (mainFields module,main) of an app with a few
 * DTOs holds under 40 kB of the two libraries instead of class-validator's whole 500 kB (its index
 * pulls in validator.js and libphonenumber-js for rules the app never uses).
 *
 * crest never imports this module: validation.ts and dto-metadata.ts `require` it on first use,
 * so an app without DTOs never runs it. A bundler resolves that `require` to this ES module and
 * these imports with the app's own settings, to the very files the app's
 * `import { IsString } from 'class-validator'` gets: one copy of each library, one metadata
 * storage, in every format (ESM bundles, CommonJS bundles, and crest's CommonJS build, where it
 * becomes a lazy `require('class-validator')`). A static import would cost an ESM bundle of an app
 * without DTOs about the same (measured), but a CommonJS bundle, which cannot tree-shake, would
 * then run the whole of class-validator at start.
 */
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, validateSync } from 'class-validator';

export const transformer = { instanceToPlain, plainToInstance };
export const validator = { getMetadataStorage, validate, validateSync };

/**
 * Protocol constants that hold no state. Kept apart from the classes in errors.ts and
 * response.ts so that crest/openapi can bundle them without a second copy of those classes.
 */

export const JSON_TYPE = 'application/json; charset=utf-8';

// The reason phrases live in a leaf module that errors.ts can import without a folder cycle.
export { statusText } from '../status-text';

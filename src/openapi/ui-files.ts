// Kept apart from ui-assets.ts so that importing crest does not load the docs-page code.

export const JS = 'text/javascript; charset=utf-8';

/** The files of swagger-ui-dist the page loads (source maps are left out: only devtools ask). */
export const UI_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': JS,
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * The swagger-ui-dist files the docs page loads: what a bundle must ship in `openapi.uiDir`.
 *
 * @example for (const file of DOCS_UI_FILES) copyFileSync(join(uiSource, file), join(outDir, 'swagger-ui', file));
 */
export const DOCS_UI_FILES: readonly string[] = Object.freeze(Object.keys(UI_FILES));

import type { DocExample } from './doc-examples.js';
/** The `@example` blocks of the doc comments in a source file's text (no Node API: usable in a browser test). */
export function examplesInText(text: string): DocExample[];

import type { DocExample } from './doc-examples.js';
/** The `@example` blocks of the doc comments in a source file's text (no Node API: usable in a browser test). */
export function examplesInText(text: string): DocExample[];
/** An `import` line of an example, in a multiline regex over its code (global: use with `replace`/`matchAll`). */
export const IMPORT_LINE: RegExp;
/** Waits for an example's `run`: it must finish, or throw the error its `// throws Name` line names. */
export function settleExample(code: string, run: Promise<unknown>): Promise<unknown>;

import { createRequire } from 'node:module';

/** The version of `@latentlab/cli`, from its package.json (printed by `latentlab --version`). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

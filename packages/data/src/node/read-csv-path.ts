/// <reference types="node" />
import { type CsvDataset, type ParseCsvOptions, parseCsv } from '../csv.js';
import { checkMaxBytes } from '../gzip.js';
import { readRegularFile } from './read-regular-file.js';

/** Options of {@link readCsvPath}: those of `parseCsv` (without `source`, which is the path) and a size bound. */
export interface ReadCsvPathOptions extends Omit<ParseCsvOptions, 'source'> {
  /** Most bytes the file may have (`DEFAULT_MAX_BYTES`, 256 MiB, by default), checked before it is read. */
  maxBytes?: number;
  /** Public function to name in file errors (default `'readCsvPath'`). */
  fn?: string;
}

/**
 * Reads a numeric CSV file with {@link parseCsv}: the path must name a regular file (not a directory, FIFO or
 * device) of at most `maxBytes`, checked before a byte is read; the text is UTF-8 (invalid bytes become U+FFFD
 * and then fail as non-numeric cells). Format errors name the file, line and column.
 *
 * @throws {DatasetError} the file cannot be read, is not a regular file or is larger than `maxBytes`.
 * @throws {CsvFormatError} the text is not a numeric CSV table (`source` is the path).
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('iris.csv', 'sepal,petal,species\n5.1,1.4,setosa\n6.3,6.0,virginica\n');
 * const iris = await readCsvPath('iris.csv', { labelColumn: 'species' }); // shape [2, 2]
 * ```
 */
export async function readCsvPath(path: string, options: ReadCsvPathOptions = {}): Promise<CsvDataset> {
  const { maxBytes, fn = 'readCsvPath', ...parse } = options;
  const bytes = await readRegularFile(fn, path, checkMaxBytes(fn, maxBytes));
  return parseCsv(new TextDecoder().decode(bytes), { ...parse, source: path });
}

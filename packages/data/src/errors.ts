/**
 * Typed errors of `@latentlab/data`. Like every Latentlab error they name the function that raised them,
 * what it expected and what it found; format errors also say *where*: a byte offset for binary formats
 * (IDX, gzip), a line and column for text (CSV), and the file name when one is known.
 *
 * @example
 * ```ts
 * const bytes = new Uint8Array([0, 0, 8, 3, 0, 0]); // an IDX file cut short in its dimensions
 * try {
 *   readIdx(bytes, { source: 'train-images-idx3-ubyte' });
 * } catch (e) {
 *   if (e instanceof IdxFormatError) console.log(e.offset, e.expected, e.found);
 * }
 * ```
 */
import { LatentlabError } from '@latentlab/core';

/** Where in a file a format error was detected. Offsets are 0-based bytes; lines and columns are 1-based. */
export interface DataLocation {
  /** Byte offset (0-based) in the (decompressed) bytes. */
  offset?: number;
  /** Line (1-based) of a text file. */
  line?: number;
  /** Column (1-based) of a text file; for CSV, the field's position in its row. */
  column?: number;
  /** File name or URL the bytes came from. */
  source?: string;
}

/** Renders a location for a message: `at byte 12 of train-images-idx3-ubyte`, `at line 3, column 2`. */
export function formatLocation(where: DataLocation): string {
  const parts: string[] = [];
  if (where.offset !== undefined) parts.push(`at byte ${where.offset}`);
  if (where.line !== undefined) {
    parts.push(`at line ${where.line}${where.column !== undefined ? `, column ${where.column}` : ''}`);
  }
  if (where.source !== undefined) parts.push(`${parts.length > 0 ? 'of' : 'in'} ${where.source}`);
  return parts.join(' ');
}

/** Bytes or text that do not follow their format. The message reads `Error in fn: what at where: expected …, found …`. */
export class DataFormatError extends LatentlabError {
  override name = 'DataFormatError';
  readonly offset?: number;
  readonly line?: number;
  readonly column?: number;
  readonly source?: string;

  constructor(fn: string, message: string, expected: string, found: string, where: DataLocation = {}) {
    const location = formatLocation(where);
    super(fn, location === '' ? message : `${message} ${location}`, expected, found);
    if (where.offset !== undefined) this.offset = where.offset;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
    if (where.source !== undefined) this.source = where.source;
  }
}

// The subclasses below repeat the three-line `class X extends Base { override name = 'X' }` of core's errors: an
// explicit `name` per class survives minification (a `new.target.name` would not), so each error keeps it.

/** Malformed IDX bytes: magic, dtype code, rank, dimensions or data length. Always carries `offset`. */
export class IdxFormatError extends DataFormatError {
  override name = 'IdxFormatError';
}

/** Malformed CSV text: empty input, ragged row, non-numeric cell, unterminated quote. Carries `line` and `column`. */
export class CsvFormatError extends DataFormatError {
  override name = 'CsvFormatError';
}

/** Bytes that are not a valid gzip stream (bad magic, corrupt or truncated deflate data). */
export class GzipError extends DataFormatError {
  override name = 'GzipError';
}

/**
 * A data set that is well-formed file by file but wrong as a whole (images and labels of different
 * lengths, labels out of range, not the official split size), or that cannot be found.
 */
export class DatasetError extends LatentlabError {
  override name = 'DatasetError';
  /** File name or URL concerned, when one is known. */
  readonly source?: string;

  constructor(fn: string, message: string, expected: string, found: string, source?: string) {
    super(fn, source === undefined ? message : `${message} (${source})`, expected, found);
    if (source !== undefined) this.source = source;
  }
}

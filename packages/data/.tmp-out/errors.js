/**
 * Typed errors of `@latentlab/data`. Like every Latentlab error they name the function that raised them,
 * what it expected and what it found; format errors also say *where*: a byte offset for binary formats
 * (IDX, gzip), a line and column for text (CSV), and the file name when one is known.
 *
 * @example
 * ```ts
 * try {
 *   readIdx(bytes, { source: 'train-images-idx3-ubyte' });
 * } catch (e) {
 *   if (e instanceof IdxFormatError) console.log(e.offset, e.expected, e.found);
 * }
 * ```
 */
import { LatentlabError } from '@latentlab/core';
/** Renders a location for a message: `at byte 12 of train-images-idx3-ubyte`, `at line 3, column 2`. */
export function formatLocation(where) {
    const parts = [];
    if (where.offset !== undefined)
        parts.push(`at byte ${where.offset}`);
    if (where.line !== undefined) {
        parts.push(`at line ${where.line}${where.column !== undefined ? `, column ${where.column}` : ''}`);
    }
    if (where.source !== undefined)
        parts.push(`${parts.length > 0 ? 'of' : 'in'} ${where.source}`);
    return parts.join(' ');
}
/** Bytes or text that do not follow their format. The message reads `Error in fn: what at where: expected …, found …`. */
export class DataFormatError extends LatentlabError {
    name = 'DataFormatError';
    offset;
    line;
    column;
    source;
    constructor(fn, message, expected, found, where = {}) {
        const location = formatLocation(where);
        super(fn, location === '' ? message : `${message} ${location}`, expected, found);
        if (where.offset !== undefined)
            this.offset = where.offset;
        if (where.line !== undefined)
            this.line = where.line;
        if (where.column !== undefined)
            this.column = where.column;
        if (where.source !== undefined)
            this.source = where.source;
    }
}
/** Malformed IDX bytes: magic, dtype code, rank, dimensions or data length. Always carries `offset`. */
export class IdxFormatError extends DataFormatError {
    name = 'IdxFormatError';
}
/** Malformed CSV text: empty input, ragged row, non-numeric cell, unterminated quote. Carries `line` and `column`. */
export class CsvFormatError extends DataFormatError {
    name = 'CsvFormatError';
}
/** Bytes that are not a valid gzip stream (bad magic, corrupt or truncated deflate data). */
export class GzipError extends DataFormatError {
    name = 'GzipError';
}
/**
 * A data set that is well-formed file by file but wrong as a whole (images and labels of different
 * lengths, labels out of range, not the official split size), or that cannot be found.
 */
export class DatasetError extends LatentlabError {
    name = 'DatasetError';
    /** File name or URL concerned, when one is known. */
    source;
    constructor(fn, message, expected, found, source) {
        super(fn, source === undefined ? message : `${message} (${source})`, expected, found);
        if (source !== undefined)
            this.source = source;
    }
}

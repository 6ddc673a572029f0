import type { FileHandle } from 'node:fs/promises';
import { ValueError } from '@latentlab/core';
import { openRegularFile, type RegularFileFailure, readExactly } from '@latentlab/core/node';
import { SafetensorsFormatError } from '../errors.js';
import { parseHeader, readHeaderLength } from '../safetensors/header.js';
import { decodeTensors, type SafetensorsFile } from '../safetensors/read.js';
import { MAX_FILE_BYTES, type SourceOptions } from '../safetensors/source.js';

const fn = 'readSafetensorsFile';

/** A path that cannot be opened or is not a regular file is a `ValueError`; a file over a bound or one that
 * changed while it was read is malformed input, a `SafetensorsFormatError`. */
const toError = (f: RegularFileFailure): Error =>
  f.reason === 'size' || f.reason === 'changed'
    ? new SafetensorsFormatError(fn, 'header', `${f.path}: ${f.message}`, f.expected, f.found)
    : new ValueError(fn, `${f.path}: ${f.message}`, f.expected, f.found);

const read = (handle: FileHandle, path: string, position: number, length: number) =>
  readExactly(handle, { fn, path, position, length, fail: toError });

/**
 * Reads a safetensors file from a path with bounded memory: the file is opened non-blocking (a FIFO cannot hang
 * the reader), must be a regular file of at most `maxBytes` (default 2 GiB, by `fstat`), then 8 bytes are read,
 * the header length checked against the file size and `maxHeaderBytes` (100 MB), the header read and checked,
 * and only then the data section. Every rule of `readSafetensors` applies.
 *
 * @throws {SafetensorsFormatError} a malformed file, or one over a bound.
 * @throws {ValueError} a path that is not a regular file.
 * @example
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('vae.safetensors', writeSafetensors({ 'fc1.weight': { shape: [3, 4], values: new Float32Array(12) } }));
 * const { tensors } = await readSafetensorsFile('vae.safetensors');
 * tensors.get('fc1.weight')!.shape; // [3, 4]
 */
export async function readSafetensorsFile(
  file: string,
  options: Omit<SourceOptions, 'fetch'> = {},
): Promise<SafetensorsFile> {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const { handle, size } = await openRegularFile(file, { fn, maxBytes, fail: toError });
  try {
    const n = readHeaderLength(await read(handle, file, 0, Math.min(8, size)), size, options, fn);
    const header = parseHeader(await read(handle, file, 8, n), size - 8 - n, fn);
    return decodeTensors(header, await read(handle, file, 8 + n, header.dataLength));
  } finally {
    await handle.close();
  }
}

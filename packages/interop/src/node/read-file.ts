import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { ValueError } from '@latentlab/core';
import { SafetensorsFormatError } from '../errors.js';
import { parseHeader, readHeaderLength } from '../safetensors/header.js';
import { decodeTensors, type SafetensorsFile } from '../safetensors/read.js';
import { MAX_FILE_BYTES, type SourceOptions } from '../safetensors/source.js';

/** Reads exactly `length` bytes at `position`. */
async function readExactly(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(out, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  if (done !== length)
    throw new ValueError('readSafetensorsFile', 'the file shrank while it was read', `${length} bytes`, `${done}`);
  return out;
}

/**
 * Reads a safetensors file from a path with bounded memory: the file is opened non-blocking (a FIFO cannot hang
 * the reader), must be a regular file of at most `maxBytes` (default 2 GiB, by `fstat`), then 8 bytes are read,
 * the header length checked against the file size and `maxHeaderBytes` (100 MB), the header read and checked,
 * and only then the data section. Every rule of `readSafetensors` applies.
 *
 * @throws {SafetensorsFormatError} a malformed file, or one over a bound.
 * @throws {ValueError} a path that is not a regular file.
 * @example
 * const { tensors } = await readSafetensorsFile('vae.safetensors');
 */
export async function readSafetensorsFile(
  file: string,
  options: Omit<SourceOptions, 'fetch'> = {},
): Promise<SafetensorsFile> {
  const fn = 'readSafetensorsFile';
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new ValueError(fn, `${file} is not a regular file`, 'a regular file', 'a directory, device or pipe');
    const size = stat.size;
    const max = options.maxBytes ?? MAX_FILE_BYTES;
    if (size > max)
      throw new SafetensorsFormatError(fn, 'header', `${file} is too large`, `≤ ${max} bytes`, `${size} bytes`);
    const n = readHeaderLength(await readExactly(handle, 0, Math.min(8, size)), size, options, fn);
    const header = parseHeader(await readExactly(handle, 8, n), size - 8 - n, fn);
    return decodeTensors(header, await readExactly(handle, 8 + n, header.dataLength));
  } finally {
    await handle.close();
  }
}

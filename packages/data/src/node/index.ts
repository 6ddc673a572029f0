/**
 * `@latentlab/data/node`: loaders that read from the file system (Node only). The platform-neutral
 * parsers and URL loaders are in `@latentlab/data`.
 */

// Streaming IDX reader of the data pipeline (src/stream-node.ts).
export {
  type IdxHeader,
  type StreamIdxBatchesOptions,
  type StreamIdxOptions,
  streamIdx,
  streamIdxBatches,
} from '../stream-node.js';
export { fashionMnistDataDir, type LoadFashionMnistOptions, loadFashionMnist } from './fashion-mnist.js';
export { type LoadMnistOptions, loadMnist, mnistDataDir } from './mnist.js';
export { type ReadCsvPathOptions, readCsvPath } from './read-csv-path.js';
export { type ReadIdxPathOptions, readIdxPath } from './read-idx-path.js';

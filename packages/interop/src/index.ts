/**
 * `@latentlab/interop`: models in from PyTorch (pytorch/examples, pythae, any MLP through a name map), Keras/tfjs
 * Layers and scikit-learn, and out again, through safetensors. Platform-neutral (Node and browsers); reading
 * from a path, writing files and `importRun` are in `@latentlab/interop/node`.
 */
export { SafetensorsFormatError } from './errors.js';
export { type ExportedModel, type InteropConfig, modelToSafetensors, torchName } from './export/to-safetensors.js';
export {
  detectLayout,
  type ImportSafetensorsOptions,
  importSafetensors,
  type SafetensorsLayout,
} from './import/import-safetensors.js';
export { type ImportMlpOptions, importMlp, type NamedArray } from './import/mlp.js';
export { latentlabNameMap, type MlpNameMap, PYTORCH_EXAMPLES_VAE, pythaeNameMap } from './import/name-map.js';
export { type ImportPcaOptions, importPca } from './import/pca.js';
export { type ImportTfjsLayersOptions, importTfjsLayers, type TfjsLayersModel } from './import/tfjs-layers.js';
export {
  DTYPE_SIZE,
  decodeToFloat32,
  decodeToFloat64,
  halfToFloat,
  type SafetensorsDtype,
} from './safetensors/dtype.js';
export {
  type HeaderOptions,
  MAX_HEADER_BYTES,
  MIN_HEADER_BYTES,
  parseHeader,
  readHeaderLength,
  type SafetensorsHeader,
  type TensorEntry,
} from './safetensors/header.js';
export { readSafetensors, type SafetensorsFile, type SafetensorsTensor, tensorToFloat64 } from './safetensors/read.js';
export {
  type BlobLike,
  type FetchLike,
  MAX_FILE_BYTES,
  readSafetensorsFrom,
  type SafetensorsSource,
  type SourceOptions,
} from './safetensors/source.js';
export { type TensorToWrite, writeSafetensors } from './safetensors/write.js';

export { NotFittedError } from './errors.js';
export { type SymmetricEigen, symmetricEigen } from './pca/eigen.js';
export type { MatrixData, MatrixInput, PcaKernel } from './pca/matrix.js';
export { DEFAULT_PCA_CONFIG, Pca, type PcaConfig, type PcaFitOptions } from './pca/pca.js';

export { BackendError, formatShape, LatentlabError, ShapeError, ValueError } from './errors.js';

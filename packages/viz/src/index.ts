export { type KlPerDimensionOptions, klPerDimension, type ScreePlotOptions, screePlot } from './bar-charts.js';
export type { CodeMatrix, LatentCodes } from './codes.js';
export { readCodes } from './codes.js';
export { VizEmptyError, VizError, VizNonFiniteError, VizShapeError, VizValueError } from './errors.js';
export { escapeXml } from './escape.js';
export type { PlotOptions } from './frame.js';
export {
  type ImageGridOptions,
  imageGrid,
  type ReconstructionGridOptions,
  reconstructionGrid,
  type TileOptions,
} from './image-grid.js';
export {
  composeTiles,
  type GreyImages,
  type ImagesInput,
  type PixelRange,
  readImages,
  type TileLayout,
} from './images.js';
export { type InterpolationMethod, interpolate } from './interpolate.js';
export {
  type Decode,
  type InterpolationStripOptions,
  interpolationStrip,
  type LatentManifoldOptions,
  latentManifold,
} from './latent-manifold.js';
export { type LatentScatterOptions, latentScatter } from './latent-scatter.js';
export { type LossCurvesOptions, type LossHistory, lossCurves } from './loss-curves.js';
export {
  dimsPlane,
  type GridSpacing,
  type GridValueOptions,
  gridValues,
  type LatentPlane,
  type ManifoldCodes,
  manifoldCodes,
  pcaPlane,
} from './manifold-grid.js';
export { normalQuantile } from './normal-quantile.js';
export { categoricalColors, OKABE_ITO, TOL_MUTED } from './palette.js';
export { type Pca, pca } from './pca.js';
export { base64, type Deflate, encodeRgbaPng, rgbaDataUri, storedDeflate } from './png-data.js';
export { mulberry32, sampleIndices } from './random.js';
export { type Canvas2D, renderCanvas } from './render-canvas.js';
export { renderSvg, type SvgOptions } from './render-svg.js';
export { type LatentReportData, latentReportSections, type ReportSection } from './report.js';
export {
  FONT_FAMILY,
  type ImageMark,
  type Mark,
  type PathMark,
  type PlotSpec,
  type PointsMark,
  type RectMark,
  type TextMark,
} from './spec.js';
export { type SyntheticLatentData, syntheticLatents, toyDecode } from './synthetic.js';

export * from '../index.js';
export { BUNDLED_FONTS, type PngOptions, renderPng, writePng } from './render-png.js';
export { type ReportOptions, type ReportResult, writeReport } from './write-report.js';

export * from '../index.js';
export { bundledFonts, PNG_PEERS, PNG_PEERS_INSTALL } from './png-peers.js';
export { type PngOptions, renderPng, writePng } from './render-png.js';
export { type ReportOptions, type ReportResult, writeReport } from './write-report.js';

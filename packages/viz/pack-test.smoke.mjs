// pack-test-with: @resvg/resvg-js dejavu-fonts-ttf
// Runs in a scratch project where @latentlab/viz was installed from its packed tarball (no tfjs) with its optional
// PNG peers (resvg, DejaVu fonts):
// build a spec, render it to SVG and to a PNG file with plain Node, and check what came out.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { latentScatter, renderSvg, VizError } from '@latentlab/viz';
import { renderPng } from '@latentlab/viz/node';

const codes = Float32Array.from({ length: 200 }, (_, i) => Math.sin(i * 12.9898) * 3);
const spec = latentScatter({
  codes,
  dim: 2,
  labels: Uint8Array.from({ length: 100 }, (_, i) => i % 3),
  classNames: ['a', 'b', '<c>'],
  title: 'smoke',
});
const svg = renderSvg(spec);
assert.match(svg, /^<svg/);
assert.match(svg, /&lt;c&gt;/);
const png = renderPng(spec);
assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
assert.ok(png.length > 1000, `PNG of ${png.length} bytes`);
assert.throws(() => latentScatter({ codes: new Float32Array([Number.NaN, 0]), dim: 2 }), VizError);
assert.ok(readFileSync(new URL('./node_modules/@latentlab/viz/package.json', import.meta.url)));
console.log('@latentlab/viz from its tarball: ok');

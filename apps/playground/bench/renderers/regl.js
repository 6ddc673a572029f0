import createScatterplot from 'regl-scatterplot';
import { makePoints, PALETTE } from './points.js';

const t0 = performance.now();
const canvas = document.createElement('canvas');
canvas.style.width = '900px';
canvas.style.height = '700px';
document.body.appendChild(canvas);
const sp = createScatterplot({
  canvas,
  width: 900,
  height: 700,
  pointSize: 2,
  pointColor: PALETTE,
  colorBy: 'valueA',
  lassoOnLongPress: false,
});
const { xy, label, n } = makePoints();
const s = 1 / 4;
const pts = { x: new Float32Array(n), y: new Float32Array(n), valueA: new Float32Array(n) };
for (let i = 0; i < n; i++) {
  pts.x[i] = xy[2 * i] * s;
  pts.y[i] = xy[2 * i + 1] * s;
  pts.valueA[i] = label[i];
}
sp.draw(pts).then(() =>
  requestAnimationFrame(() => {
    window.__ready = { firstRenderMs: performance.now() - t0, count: sp.get('points').length };
  }),
);
window.__sp = sp;

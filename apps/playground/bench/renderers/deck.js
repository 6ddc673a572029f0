import { Deck, OrthographicView } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { makePoints, PALETTE } from './points.js';

const t0 = performance.now();
const { xy, label, n } = makePoints();
const rgb = PALETTE.map((h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)));
const colors = new Uint8Array(n * 3);
for (let i = 0; i < n; i++) colors.set(rgb[label[i]], 3 * i);
const div = document.createElement('div');
div.style.cssText = 'position:relative;width:900px;height:700px';
document.body.appendChild(div);
let first = true;
const deck = new Deck({
  parent: div,
  width: 900,
  height: 700,
  views: new OrthographicView({ flipY: false }),
  initialViewState: { target: [0, 0, 0], zoom: 6.5 },
  controller: true,
  layers: [
    new ScatterplotLayer({
      id: 'codes',
      data: {
        length: n,
        attributes: { getPosition: { value: xy, size: 2 }, getFillColor: { value: colors, size: 3 } },
      },
      radiusUnits: 'pixels',
      getRadius: 2,
      pickable: true,
    }),
  ],
  onAfterRender: () => {
    if (first) {
      first = false;
      window.__ready = { firstRenderMs: performance.now() - t0, count: n };
    }
  },
});
window.__deck = deck;

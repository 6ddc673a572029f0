// Renders the pictures shown in README.md: `pnpm --filter @latentlab/viz build && node scripts/readme-images.mjs`.
import { mkdirSync } from 'node:fs';
import { latentManifold, latentScatter, syntheticLatents, toyDecode, writePng } from '../dist/node/index.js';

mkdirSync('docs', { recursive: true });
const { codes, dim, labels, classNames } = syntheticLatents(10_000, { seed: 1 });
await writePng(
  'docs/latent-scatter.png',
  latentScatter({
    codes,
    dim,
    labels,
    classNames,
    title: 'Latent codes (10 000, synthetic)',
    width: 520,
    height: 400,
    radius: 1.5,
  }),
);
await writePng(
  'docs/latent-manifold.png',
  await latentManifold({
    decode: (z) => toyDecode(z),
    imageShape: [28, 28],
    latentDim: 2,
    n: 12,
    spacing: 'gaussian',
    title: 'Decoded manifold (toy decoder)',
  }),
);
console.log('wrote docs/latent-scatter.png, docs/latent-manifold.png');

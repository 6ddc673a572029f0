import { writeFileSync } from 'node:fs';
import { latentScatter, lossCurves, renderSvg } from '@latentlab/viz';

// Codes [n, 2] of three clusters with their labels (what a model's encode gives, as plain numbers).
const codes = Array.from({ length: 300 }, (_, i) => [(i % 3) * 4 + Math.sin(i), Math.cos(i * 7) + (i % 3)]);
const labels = Uint8Array.from(codes, (_, i) => i % 3);
const scatter = renderSvg(latentScatter({ codes, labels, classNames: ['a', 'b', 'c'], title: 'Latent codes' }));
const history = { train: { total: [180, 140, 125, 118] }, validation: { total: [150, 130, 124, 121] } };
const curves = renderSvg(lossCurves(history)); // train solid, validation dashed
writeFileSync('latent.svg', scatter);
writeFileSync('loss.svg', curves);
console.log(scatter.startsWith('<svg'), scatter.includes('>Latent codes<'), curves.includes('<path'));

import type { AutoencoderConfig, NetworkConfig, VaeConfig } from '../config.js';
import { halvings } from '../layers/networks.js';

/** One weight a model config implies: its name (as `weightNames`) and shape, float32. */
export interface WeightShape {
  name: string;
  shape: number[];
}

function dense(out: WeightShape[], name: string, inUnits: number, outUnits: number): void {
  out.push({ name: `${name}/w`, shape: [inUnits, outUnits] }, { name: `${name}/b`, shape: [outUnits] });
}

function mlp(out: WeightShape[], name: string, sizes: readonly number[]): void {
  for (let l = 1; l < sizes.length; l++) dense(out, `${name}/${l - 1}`, sizes[l - 1]!, sizes[l]!);
}

/**
 * The trunk, code head(s) and decoder of `layers/networks.ts`, as shapes only. Returns the number of entries
 * of the im2col index tables the conv layers build besides their weights (`params.addConstant`): for an input
 * of H×W pixels and a k×k kernel at stride 2, outH·outW·k² + H·W·⌈k/2⌉².
 */
function network(out: WeightShape[], c: NetworkConfig, architecture: string, heads: string[]): number {
  const d = c.inputShape.reduce((a, b) => a * b, 1);
  if (architecture !== 'conv') {
    const hidden = architecture === 'linear' ? [] : [...c.hiddenUnits];
    mlp(out, 'encoder', [d, ...hidden]);
    const trunkOut = hidden.at(-1) ?? d;
    for (const head of heads) dense(out, `encoder/${head}`, trunkOut, c.latentDim);
    mlp(out, 'decoder', [c.latentDim, ...[...hidden].reverse(), d]);
    return 0;
  }
  const [height, width, channels] = c.inputShape as [number, number, number];
  const n = c.convFilters.length;
  const hs = halvings(height, n);
  const ws = halvings(width, n);
  const k = c.kernelSize;
  const fan = Math.ceil(k / 2) ** 2;
  let tables = 0;
  for (let i = 0; i < n; i++) {
    const inChannels = i === 0 ? channels : c.convFilters[i - 1]!;
    dense(out, `encoder/conv${i}`, k * k * inChannels, c.convFilters[i]!);
    tables += hs[i + 1]! * ws[i + 1]! * k * k + hs[i]! * ws[i]! * fan;
  }
  const flat = hs[n]! * ws[n]! * c.convFilters[n - 1]!;
  mlp(out, 'encoder/dense', [flat, ...c.hiddenUnits]);
  const trunkOut = c.hiddenUnits.at(-1) ?? flat;
  for (const head of heads) dense(out, `encoder/${head}`, trunkOut, c.latentDim);
  mlp(out, 'decoder/dense', [c.latentDim, ...[...c.hiddenUnits].reverse(), flat]);
  for (let i = n; i >= 1; i--) {
    const outChannels = i > 1 ? c.convFilters[i - 2]! : channels;
    const name = `decoder/up${n - i}`;
    out.push(
      { name: `${name}/w`, shape: [c.convFilters[i - 1]!, k * k * outChannels] },
      { name: `${name}/b`, shape: [outChannels] },
    );
    tables += hs[i]! * ws[i]! * k * k + hs[i - 1]! * ws[i - 1]! * fan;
  }
  return tables;
}

/**
 * The weights (names and shapes, all float32) that `new Vae(config)` or `new Autoencoder(config)` would create,
 * computed from the resolved config alone: no tensor is allocated, so a loader can compare them with a file's
 * manifest before building anything. `tableEntries` counts the int32 entries of the conv layers' im2col index
 * tables (0 for MLPs), the only other memory a model holds.
 *
 *     MLP VAE 784-400-20: encoder/0 [784, 400], encoder/mu, encoder/logVar [400, 20], decoder/0 [20, 400], decoder/1 [400, 784] (+ biases)
 *
 * @example
 * modelWeightShapes('vae', resolveVaeConfig({ latentDim: 2 })).weights.map((w) => w.name);
 * // ['encoder/0/w', 'encoder/0/b', 'encoder/mu/w', ..., 'decoder/1/b']
 */
export function modelWeightShapes(
  kind: 'vae' | 'autoencoder',
  config: Readonly<VaeConfig> | Readonly<AutoencoderConfig>,
): { weights: WeightShape[]; tableEntries: number } {
  const weights: WeightShape[] = [];
  const heads = kind === 'vae' ? ['mu', 'logVar'] : ['z'];
  const tableEntries = network(weights, config, config.architecture, heads);
  const v = config as VaeConfig;
  if (kind === 'vae' && v.decoder === 'gaussian' && v.decoderVariance === 'learned') {
    weights.push({ name: 'decoder/logC', shape: [] });
  }
  return { weights, tableEntries };
}

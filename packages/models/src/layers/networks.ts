import type { Rng } from '@latentlab/core';
import { reshape, type Tensor2D, type Tensor4D } from '@tensorflow/tfjs-core';
import type { NetworkConfig } from '../config.js';
import type { ParameterSet } from '../model/parameter-set.js';
import type { Activation } from './activation.js';
import {
  applyConvLayer,
  applyConvTransposeLayer,
  type ConvLayer,
  type ConvTransposeLayer,
  createConvLayer,
  createConvTransposeLayer,
} from './conv.js';
import { Mlp } from './mlp.js';

/** A {@link NetworkConfig} with the architecture the networks are built for. */
export type ArchitectureConfig = NetworkConfig & { readonly architecture: 'linear' | 'mlp' | 'conv' };

/** A network between flat inputs and features: x [batch, inUnits] → [batch, outUnits]. */
export interface Network {
  readonly outUnits: number;
  /** True when `apply` returns its input unchanged (a linear model's trunk, or an MLP with no hidden layer). */
  readonly identity: boolean;
  /** `xIsData`: x is the model's input (no gradient is needed with respect to it, see `applyDenseLayer`). */
  apply(x: Tensor2D, xIsData?: boolean): Tensor2D;
}

/** Spatial sizes of the feature maps of a stride-2 'same' encoder: [H₀, H₁ = ⌈H₀/2⌉, …, H_n]. */
export function halvings(size: number, blocks: number): number[] {
  const out = [size];
  for (let i = 0; i < blocks; i++) out.push(Math.ceil(out[i]! / 2));
  return out;
}

/**
 * The encoder trunk g₁ (docs/math.md §4), shared by the code heads:
 * - `'linear'`: the identity (the single linear layer is the head);
 * - `'mlp'`: dense layers d → hiddenUnits…, each with the activation;
 * - `'conv'`: stride-2 k×k convolutions with `convFilters` channels, flattened, then dense `hiddenUnits` layers.
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const [params, rng] = [new ParameterSet(), createRng(0)];
 * const config = resolveVaeConfig(); // the reference VAE: 784-400-20
 * const trunk = buildTrunk(params, { ...config, architecture: 'mlp' }, rng); // 784 → 400 for the reference VAE
 */
export function buildTrunk(params: ParameterSet, c: ArchitectureConfig, rng: Rng): Network {
  const { architecture } = c;
  const d = c.inputShape.reduce((a, b) => a * b, 1);
  if (architecture === 'linear') return { outUnits: d, identity: true, apply: (x) => x };
  if (architecture === 'mlp') {
    const mlp = new Mlp(params, 'encoder', [d, ...c.hiddenUnits], c.activation, c.activation, c.init, rng);
    return {
      outUnits: c.hiddenUnits.at(-1) ?? d,
      identity: c.hiddenUnits.length === 0,
      apply: (x, xIsData) => mlp.apply(x, xIsData),
    };
  }
  const [height, width, channels] = c.inputShape as [number, number, number];
  const hs = halvings(height, c.convFilters.length);
  const ws = halvings(width, c.convFilters.length);
  const convs: ConvLayer[] = c.convFilters.map((f, i) =>
    createConvLayer(
      params,
      `encoder/conv${i}`,
      [hs[i]!, ws[i]!, i === 0 ? channels : c.convFilters[i - 1]!],
      f,
      c.kernelSize,
      2,
      c.activation,
      c.init,
      rng,
    ),
  );
  const flat = hs.at(-1)! * ws.at(-1)! * c.convFilters.at(-1)!;
  const mlp = new Mlp(params, 'encoder/dense', [flat, ...c.hiddenUnits], c.activation, c.activation, c.init, rng);
  return {
    outUnits: c.hiddenUnits.at(-1) ?? flat,
    identity: false,
    apply: (x, xIsData) => {
      const image = reshape(x, [x.shape[0], height, width, channels]) as Tensor4D;
      const features = convs.reduce((h, conv, i) => applyConvLayer(conv, h, xIsData === true && i === 0), image);
      return mlp.apply(reshape(features, [x.shape[0], flat]));
    },
  };
}

/**
 * The decoder f: z [batch, latentDim] → [batch, d] (flattened), its last layer linear (logits or mean):
 * - `'linear'`: one dense layer z·W + b;
 * - `'mlp'`: the trunk mirrored, latentDim → reversed hiddenUnits… → d;
 * - `'conv'`: dense layers to the encoder's last feature map, then per encoder block, in reverse, the
 *   transposed stride-2 convolution back to that block's input size (the last one to the input's channels,
 *   linear).
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const [params, rng] = [new ParameterSet(), createRng(0)];
 * const config = resolveVaeConfig(); // the reference VAE: 784-400-20
 * const decoder = buildDecoder(params, { ...config, architecture: 'mlp' }, rng); // 20 → 400 → 784
 */
export function buildDecoder(params: ParameterSet, c: ArchitectureConfig, rng: Rng): Network {
  const { architecture } = c;
  const d = c.inputShape.reduce((a, b) => a * b, 1);
  const linear: Activation = 'linear';
  if (architecture !== 'conv') {
    const hidden = architecture === 'linear' ? [] : [...c.hiddenUnits].reverse();
    const mlp = new Mlp(params, 'decoder', [c.latentDim, ...hidden, d], c.activation, linear, c.init, rng);
    return { outUnits: d, identity: false, apply: (z) => mlp.apply(z) };
  }
  const [height, width, channels] = c.inputShape as [number, number, number];
  const n = c.convFilters.length;
  const hs = halvings(height, n);
  const ws = halvings(width, n);
  const flat = hs[n]! * ws[n]! * c.convFilters[n - 1]!;
  const mlp = new Mlp(
    params,
    'decoder/dense',
    [c.latentDim, ...[...c.hiddenUnits].reverse(), flat],
    c.activation,
    c.activation,
    c.init,
    rng,
  );
  const ups: ConvTransposeLayer[] = [];
  for (let i = n; i >= 1; i--) {
    // From depth i back to depth i − 1: the transposed stride-2 convolution of the encoder's block i − 1.
    const output = [hs[i - 1]!, ws[i - 1]!, i > 1 ? c.convFilters[i - 2]! : channels] as const;
    const act = i > 1 ? c.activation : linear;
    ups.push(
      createConvTransposeLayer(
        params,
        `decoder/up${n - i}`,
        output,
        c.convFilters[i - 1]!,
        c.kernelSize,
        2,
        act,
        c.init,
        rng,
      ),
    );
  }
  return {
    outUnits: d,
    identity: false,
    apply: (z) => {
      const batch = z.shape[0];
      const h0 = reshape(mlp.apply(z), [batch, hs[n]!, ws[n]!, c.convFilters[n - 1]!]) as Tensor4D;
      return reshape(
        ups.reduce((h, up) => applyConvTransposeLayer(up, h), h0),
        [batch, d],
      );
    },
  };
}

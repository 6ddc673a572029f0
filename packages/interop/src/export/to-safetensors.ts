import { ValueError } from '@latentlab/core';
import { Autoencoder, type LatentlabTopology, modelToArtifacts, Pca, type PcaState, Vae } from '@latentlab/models';
import type { TensorToWrite } from '../safetensors/write.js';
import { writeSafetensors } from '../safetensors/write.js';

/** The interop config: the `latentlab` metadata of an exported file and the content of its `<name>.json`. */
export interface InteropConfig {
  formatVersion: 1;
  kind: 'vae' | 'autoencoder' | 'pca';
  /** The model's config as `model.config` serialises. */
  config: Record<string, unknown>;
  /** PCA only: the scalars besides the tensors. */
  pca?: { n: number; d: number; k: number; totalVariance: number };
}

/** What {@link modelToSafetensors} returns. */
export interface ExportedModel {
  /** The safetensors file: tensors in Latentlab's PyTorch naming, `__metadata__` { format: 'pt', latentlab }. */
  safetensors: Uint8Array;
  /** The interop config (also in the file's metadata as the JSON string `latentlab`). */
  config: InteropConfig;
}

/** `encoder/0/w` → `encoder.0.weight` etc. (the contract's table; `logVar` → `log_var`, `logC` → `log_c`). */
export function torchName(latentlabName: string): string {
  const parts = latentlabName.split('/');
  const last = parts.pop()!;
  const rename = (p: string) => (p === 'logVar' ? 'log_var' : p === 'logC' ? 'log_c' : p);
  const module = parts.map(rename).join('.');
  if (last === 'w') return `${module}.weight`;
  if (last === 'b') return `${module}.bias`;
  return [module, rename(last)].filter((s) => s !== '').join('.');
}

async function pcaTensors(pca: Pca): Promise<{ tensors: Record<string, TensorToWrite>; state: PcaState }> {
  const artifacts = await modelToArtifacts(pca, {}, 'modelToSafetensors');
  const topology = artifacts.modelTopology as unknown as LatentlabTopology;
  if (!topology.pca)
    throw new ValueError('modelToSafetensors', 'the PCA is not fitted', 'a fitted PCA', 'an unfitted one');
  const data = artifacts.weightData as ArrayBuffer;
  const arrays: Record<string, Float64Array> = {};
  let offset = 0;
  for (const spec of artifacts.weightSpecs ?? []) {
    const count = spec.shape.reduce((a, b) => a * b, 1); // int32 pairs: float64 bits
    arrays[spec.name] = new Float64Array(data.slice(offset, offset + 4 * count));
    offset += 4 * count;
  }
  const { d, k } = topology.pca;
  return {
    state: topology.pca,
    tensors: {
      mean: { shape: [d], values: arrays['pca/mean']!, dtype: 'F64' },
      components: { shape: [k, d], values: arrays['pca/components']!, dtype: 'F64' },
      explained_variance: { shape: [k], values: arrays['pca/explainedVariance']!, dtype: 'F64' },
    },
  };
}

/**
 * Exports a Latentlab model to safetensors in the PyTorch naming of the interop contract: `encoder/<i>/w`
 * [in, out] → `encoder.<i>.weight` [out, in] (transposed: nn.Linear's layout), biases as they are, `encoder/mu`
 * → `encoder.mu`, `encoder/logVar` → `encoder.log_var`, `encoder/z` → `encoder.z`, `decoder/<i>` →
 * `decoder.<i>`, `decoder/logC` → `decoder.log_c` (scalar). F32, sorted names, header padded to 8 bytes.
 * A PCA writes `mean` [d], `components` [k, d] and `explained_variance` [k] as F64 (exact: Latentlab keeps PCA
 * in float64). The `__metadata__` holds `format: 'pt'` and `latentlab`: the JSON {@link InteropConfig}.
 * MLP and linear models only (a convolutional model is refused).
 *
 * @throws {ValueError} a convolutional or unfitted model.
 * @example
 * import { Vae } from '@latentlab/models';
 * const vae = new Vae({ inputShape: [4], hiddenUnits: [3], latentDim: 2 });
 * const { safetensors, config } = await modelToSafetensors(vae);
 * config.kind; // 'vae'
 * // Python: model.load_state_dict(safetensors.torch.load_file('vae.safetensors'))
 */
export async function modelToSafetensors(model: Vae | Autoencoder | Pca): Promise<ExportedModel> {
  const fn = 'modelToSafetensors';
  let config: InteropConfig;
  let tensors: Record<string, TensorToWrite> = {};
  if (model instanceof Pca) {
    const { tensors: t, state } = await pcaTensors(model);
    tensors = t;
    config = {
      formatVersion: 1,
      kind: 'pca',
      config: JSON.parse(JSON.stringify(model.config)),
      pca: { n: state.n, d: state.d, k: state.k, totalVariance: state.totalVariance },
    };
  } else if (model instanceof Vae || model instanceof Autoencoder) {
    if (model.config.architecture === 'conv') {
      throw new ValueError(
        fn,
        'convolutional models have no PyTorch naming yet',
        "an 'mlp' or 'linear' model",
        "'conv'",
      );
    }
    const weights = model.getWeights();
    try {
      for (const [name, t] of Object.entries(weights)) {
        const values = (await t.data()) as Float32Array; // asynchronous: the read that works on webgpu too
        if (t.rank === 2) {
          const [inUnits, outUnits] = t.shape as [number, number];
          const out = new Float32Array(values.length); // [out, in] from [in, out]
          for (let i = 0; i < inUnits; i++)
            for (let o = 0; o < outUnits; o++) out[o * inUnits + i] = values[i * outUnits + o]!;
          tensors[torchName(name)] = { shape: [outUnits, inUnits], values: out };
        } else {
          tensors[torchName(name)] = { shape: [...t.shape], values: Float32Array.from(values) };
        }
      }
    } finally {
      for (const t of Object.values(weights)) t.dispose();
    }
    config = {
      formatVersion: 1,
      kind: model instanceof Vae ? 'vae' : 'autoencoder',
      config: JSON.parse(JSON.stringify(model.config)),
    };
  } else {
    throw new ValueError(fn, 'not a Latentlab model', 'a Vae, Autoencoder or Pca', String(model));
  }
  const safetensors = writeSafetensors(tensors, { format: 'pt', latentlab: JSON.stringify(config) });
  return { safetensors, config };
}

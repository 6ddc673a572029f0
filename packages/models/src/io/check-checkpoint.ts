import { Rng } from '@latentlab/core';
import type { io } from '@tensorflow/tfjs-core';
import type { AutoencoderConfig, VaeConfig } from '../config.js';
import type { TrainState } from '../training/train-state.js';
import type { VaeNoiseState } from '../vae.js';
import { type LatentlabTopology, ModelFormatError } from './format.js';
import { modelWeightShapes } from './weight-shapes.js';

/**
 * The most rows of noise a loader replays for a VAE checkpoint without a `noise` field (files of builds before
 * it was saved): 2²⁴ = 16 777 216 rows (`trainRows + evalRows`), e.g. 280 epochs of MNIST's 60 000 rows. The
 * replay costs one forward pass per row, so a file claiming more is refused instead of running for hours.
 */
export const MAX_NOISE_REPLAY_ROWS = 2 ** 24;

/**
 * The most entries the im2col index tables of a conv model's layers may hold (int32 each, built at
 * construction besides the weights): 2²⁶, 256 MiB. A config whose image size implies more is refused.
 */
export const MAX_CONV_TABLE_ENTRIES = 2 ** 26;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Checks a checkpoint's `training` object (written from a `TrainState`) before anything uses it: `epoch`,
 * `step`, `batch`, `wait`, `trainRows`, `evalRows` are safe integers ≥ 0; `bestEpoch` an integer ≥ −1 and
 * < `epoch` + 1; `bestValue` a finite number or null; `history` an array of at most `epoch` + 1 objects whose
 * `epoch` fields are counts; `step ≤ trainRows` (every step takes at least one row); `partial` null or finite
 * sums (and `seconds`, if there, ≥ 0). For a VAE saved without its noise positions, `trainRows + evalRows` ≤
 * {@link MAX_NOISE_REPLAY_ROWS}.
 * @throws {ModelFormatError} naming the field, what it must be and what was found.
 *
 * @example
 * const vae = new Vae({ latentDim: 2 });
 * let training;
 * await vae.fit(tf.randomUniform([8, 784]), { epochs: 1, onEpochEnd: (log, state) => { training = state; } });
 * const { modelTopology: topology } = await modelToArtifacts(vae, { training }); // what model.json holds
 * checkTraining('loadModel', topology.training, topology.kind === 'vae' && !topology.noise); // the TrainState
 */
export function checkTraining(fn: string, t: LatentlabTopology['training'], replay: boolean): TrainState | null {
  if (t === null || t === undefined) return null;
  const bad = (field: string, expected: string, found: unknown): never => {
    throw new ModelFormatError(fn, `training.${field} is invalid`, expected, JSON.stringify(found) ?? String(found));
  };
  if (typeof t !== 'object' || Array.isArray(t)) return bad('', 'an object (TrainState)', t);
  for (const field of ['epoch', 'step', 'wait', 'trainRows', 'evalRows'] as const) {
    if (!isCount(t[field])) bad(field, 'an integer ≥ 0', t[field]);
  }
  if (t.batch !== undefined && !isCount(t.batch)) bad('batch', 'an integer ≥ 0', t.batch);
  if (!(Number.isSafeInteger(t.bestEpoch) && t.bestEpoch >= -1 && t.bestEpoch <= t.epoch)) {
    bad('bestEpoch', `an integer in [−1, epoch = ${t.epoch}]`, t.bestEpoch);
  }
  if (t.bestValue !== null && !(typeof t.bestValue === 'number' && Number.isFinite(t.bestValue))) {
    bad('bestValue', 'a finite number or null', t.bestValue);
  }
  if (!Array.isArray(t.history) || t.history.length > t.epoch + 1) {
    bad(
      'history',
      `an array of at most epoch + 1 = ${t.epoch + 1} epoch logs`,
      Array.isArray(t.history) ? `${t.history.length} entries` : t.history,
    );
  }
  t.history.forEach((log, i) => {
    if (log === null || typeof log !== 'object' || !isCount((log as { epoch?: unknown }).epoch)) {
      bad(`history[${i}]`, 'an epoch log { epoch, loss, ... }', log);
    }
  });
  if (t.step > t.trainRows) bad('step', `at most trainRows = ${t.trainRows} (one row per step at least)`, t.step);
  const p = t.partial;
  if (p !== undefined && p !== null) {
    const sums = [p.rows, p.total, p.reconstruction, p.kl];
    if (typeof p !== 'object' || !isCount(p.rows) || !sums.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      bad('partial', '{ rows, total, reconstruction, kl } finite', p);
    }
    const s = p.seconds;
    if (s !== undefined && !(typeof s === 'number' && Number.isFinite(s) && s >= 0)) {
      bad('partial.seconds', 'absent or a finite number ≥ 0', s);
    }
  }
  if (replay && t.trainRows + t.evalRows > MAX_NOISE_REPLAY_ROWS) {
    bad(
      'trainRows',
      `trainRows + evalRows ≤ ${MAX_NOISE_REPLAY_ROWS} (rows of noise replayed for a file without \`noise\`)`,
      t.trainRows + t.evalRows,
    );
  }
  return { ...t, bestValue: t.bestValue ?? Number.POSITIVE_INFINITY };
}

/**
 * Checks a VAE checkpoint's `noise` (three `Rng` states) without building a model.
 * @throws {ModelFormatError} when a stream's state is malformed.
 */
export function checkNoise(fn: string, noise: VaeNoiseState): void {
  try {
    if (noise === null || typeof noise !== 'object') throw new Error(`not an object: ${String(noise)}`);
    for (const s of [noise.train, noise.eval, noise.sample]) Rng.fromState(s);
  } catch (error) {
    throw new ModelFormatError(fn, 'the noise state is malformed', 'Vae.noiseState', String(error));
  }
}

/**
 * Compares a network checkpoint's manifest with the weights its config implies ({@link modelWeightShapes}),
 * before any tensor exists: every `model/<name>` weight is present, float32, of the implied shape, and no
 * other; every `optimizer/<name>/<slot>` has its weight's shape (float32); `optimizer/iter` is a scalar.
 * Since the manifest's bytes already equal the weight data's, the model then holds no more parameters than the
 * file; the conv index tables are bounded by {@link MAX_CONV_TABLE_ENTRIES}.
 * @throws {ModelFormatError} naming the weight with the expected and found shape.
 */
export function checkNetworkSpecs(
  fn: string,
  kind: 'vae' | 'autoencoder',
  config: Readonly<VaeConfig> | Readonly<AutoencoderConfig>,
  specs: readonly io.WeightsManifestEntry[],
): void {
  const { weights, tableEntries } = modelWeightShapes(kind, config);
  if (tableEntries > MAX_CONV_TABLE_ENTRIES) {
    throw new ModelFormatError(
      fn,
      'the config implies conv index tables beyond the bound',
      `at most ${MAX_CONV_TABLE_ENTRIES} entries`,
      `${tableEntries} entries (inputShape [${config.inputShape.join(', ')}])`,
    );
  }
  const expected = new Map(weights.map((w) => [w.name, w.shape]));
  const byName = new Map(specs.map((s) => [s.name, s]));
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const check = (specName: string, shape: readonly number[], dtypes = ['float32']) => {
    const spec = byName.get(specName);
    const name = specName.startsWith('model/') ? specName.slice('model/'.length) : specName;
    if (!spec) throw new ModelFormatError(fn, `weight '${name}' is missing`, `a float32 [${shape}] weight`, 'none');
    if (!dtypes.includes(spec.dtype)) {
      throw new ModelFormatError(fn, `weight '${name}' has the wrong dtype`, dtypes.join(' or '), String(spec.dtype));
    }
    if (!same(spec.shape, shape)) {
      const bytes = (s: readonly number[]) => s.reduce((a, b) => a * b, 1) * 4;
      throw new ModelFormatError(
        fn,
        `weight '${name}' has the wrong shape`,
        `[${shape.join(', ')}] (${bytes(shape)} bytes)`,
        `[${spec.shape.join(', ')}] (${bytes(spec.shape)} bytes)`,
      );
    }
  };
  for (const [name, shape] of expected) check(`model/${name}`, shape);
  const unknown: string[] = [];
  for (const spec of specs) {
    if (spec.name.startsWith('model/')) {
      if (!expected.has(spec.name.slice('model/'.length))) unknown.push(spec.name);
    } else if (spec.name === 'optimizer/iter') {
      check(spec.name, [], ['float32', 'int32']);
    } else if (spec.name.startsWith('optimizer/')) {
      const rest = spec.name.slice('optimizer/'.length);
      const shape = expected.get(rest.slice(0, Math.max(0, rest.lastIndexOf('/'))));
      if (!shape) throw new ModelFormatError(fn, 'an optimizer slot names no weight', 'a model weight', spec.name);
      check(spec.name, shape);
    } else {
      unknown.push(spec.name);
    }
  }
  if (unknown.length > 0) {
    throw new ModelFormatError(fn, 'unknown weights', `only weights of the ${kind}`, unknown.join(', '));
  }
}

/**
 * Refuses NaN and ±∞ in the float32 weights of a checkpoint (a file whose bytes were changed, CRC recomputed,
 * or a model saved after it diverged), naming the first such weight and index. Reads the bytes in place.
 * @throws {ModelFormatError} naming the weight.
 */
export function checkFinite(fn: string, specs: readonly io.WeightsManifestEntry[], data: ArrayBuffer): void {
  const view = new DataView(data);
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype === 'float32') {
      for (let i = 0; i < size; i++) {
        const v = view.getFloat32(offset + 4 * i, true);
        if (!Number.isFinite(v)) {
          throw new ModelFormatError(
            fn,
            `weight '${spec.name}' holds a non-finite value at index ${i}`,
            'finite numbers (loadModel(…, { allowNonFinite: true }) loads it anyway, for debugging)',
            String(v),
          );
        }
      }
    }
    offset += size * 4;
  }
}

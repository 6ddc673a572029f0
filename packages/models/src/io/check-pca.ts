import type { io } from '@tensorflow/tfjs-core';
import type { PcaConfig } from '../pca/pca-config.js';
import { PCA_VARIANCE_SLACK } from '../pca/pca-parameters.js';
import { ModelFormatError, type PcaState } from './format.js';

const isCount = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/**
 * Checks a PCA checkpoint's state against its config and manifest before anything is decoded: `solver` is
 * `'exact'` or `'randomized'`; n, d ≥ 1 and 1 ≤ k ≤ d are integers (k = `nComponents` when the config sets it);
 * `totalVariance` is finite and > 0; the weights `pca/mean`, `pca/components`, `pca/explainedVariance` are int32
 * of 2·d, 2·k·d and 2·k entries (float64 bits) and no other weight is present.
 * @throws {ModelFormatError} naming the field or weight, with expected and found values.
 *
 * @example
 * const pca = new Pca({ nComponents: 1 });
 * await pca.fit(tf.tensor2d([[1, 2], [2, 4.1], [3, 5.9]]));
 * const { modelTopology: topology, weightSpecs: specs } = await modelToArtifacts(pca); // model.json's parts
 * checkPcaState('loadModel', topology.pca, pca.config, specs);
 */
export function checkPcaState(
  fn: string,
  p: PcaState,
  config: Readonly<PcaConfig>,
  specs: readonly io.WeightsManifestEntry[],
): void {
  const bad = (field: string, expected: string, found: unknown): never => {
    throw new ModelFormatError(fn, `pca.${field} is invalid`, expected, JSON.stringify(found) ?? String(found));
  };
  if (p === null || typeof p !== 'object') bad('', 'a PcaState object', p);
  if (p.solver !== 'exact' && p.solver !== 'randomized') bad('solver', "'exact' or 'randomized'", p.solver);
  if (!isCount(p.n, 1)) bad('n', 'an integer ≥ 1', p.n);
  if (!isCount(p.d, 1)) bad('d', 'an integer ≥ 1', p.d);
  if (!isCount(p.k, 1) || p.k > p.d) bad('k', `an integer in [1, d = ${p.d}]`, p.k);
  if (config.nComponents !== null && p.k !== config.nComponents) {
    bad('k', `config.nComponents = ${config.nComponents}`, p.k);
  }
  if (!(typeof p.totalVariance === 'number' && Number.isFinite(p.totalVariance) && p.totalVariance > 0)) {
    bad('totalVariance', 'a finite number > 0', p.totalVariance);
  }
  const expected: Record<string, number> = {
    'pca/mean': 2 * p.d,
    'pca/components': 2 * p.k * p.d,
    'pca/explainedVariance': 2 * p.k,
  };
  for (const [name, length] of Object.entries(expected)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new ModelFormatError(fn, `weight '${name}' is missing`, `${length / 2} float64 values`, 'none');
    if (spec.dtype !== 'int32' || spec.shape.length !== 1 || spec.shape[0] !== length) {
      throw new ModelFormatError(
        fn,
        `weight '${name}' has the wrong shape`,
        `int32 [${length}] (${length / 2} float64 values)`,
        `${spec.dtype} [${spec.shape.join(', ')}]`,
      );
    }
  }
  const unknown = specs.filter((s) => !(s.name in expected)).map((s) => s.name);
  if (unknown.length > 0)
    throw new ModelFormatError(fn, 'unknown weights', 'only weights of the pca', unknown.join(', '));
}

/**
 * Checks a PCA checkpoint's decoded float64 parameters: every entry of the mean and the components is finite;
 * the explained variances are finite, ≥ 0, and add up to at most `totalVariance` (relative tolerance 1e−9).
 * @throws {ModelFormatError} naming the array and index.
 *
 * @example
 * const pca = new Pca({ nComponents: 1 });
 * await pca.fit(tf.tensor2d([[1, 2], [2, 4.1], [3, 5.9]]));
 * const { mean, components, explainedVariance, totalVariance } = pca.toParameters(); // as decoded from a checkpoint
 * checkPcaValues('loadModel', mean, components, explainedVariance, totalVariance);
 */
export function checkPcaValues(
  fn: string,
  mean: Float64Array,
  components: Float64Array,
  values: Float64Array,
  totalVariance: number,
): void {
  for (const [name, array] of [
    ['pca/mean', mean],
    ['pca/components', components],
    ['pca/explainedVariance', values],
  ] as const) {
    const i = array.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) {
      throw new ModelFormatError(
        fn,
        `weight '${name}' holds a non-finite value at index ${i}`,
        'finite numbers',
        String(array[i]),
      );
    }
  }
  const negative = values.findIndex((v) => v < 0);
  if (negative >= 0) {
    throw new ModelFormatError(
      fn,
      `weight 'pca/explainedVariance' is negative at index ${negative}`,
      'variances ≥ 0',
      String(values[negative]),
    );
  }
  const sum = values.reduce((a, b) => a + b, 0);
  // Relative slack for rounding, not for impossible values: a fit on wasm or webgl computes the covariance in
  // float32, so Σλ can exceed the float64 trace by a few float32 ulps (measured: 4.7e-8 relative on wasm).
  if (sum > totalVariance * (1 + PCA_VARIANCE_SLACK)) {
    throw new ModelFormatError(
      fn,
      'the explained variances add up to more than totalVariance',
      `Σλ ≤ totalVariance = ${totalVariance}`,
      `Σλ = ${sum}`,
    );
  }
}

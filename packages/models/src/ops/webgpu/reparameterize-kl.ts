import { formatShape, LOG_VAR_RANGE, ShapeError } from '@latentlab/core';
import {
  engine,
  exp,
  getGradient,
  type KernelFunc,
  maximum,
  minimum,
  mul,
  registerGradient,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { ensureKernel } from './fast-path.js';
import { flatProgram, rowSumProgram, runProgram } from './program.js';

const FORWARD = 'LatentlabReparameterizeKl';
const GRAD_MU = 'LatentlabReparameterizeKlGradMu';
const GRAD_LOG_VAR = 'LatentlabReparameterizeKlGradLogVar';

const { min: LO, max: HI } = LOG_VAR_RANGE;
// WGSL float literals of the clamp range of core's clampLogVar (gradient 0 outside it, as tfjs's clipByValue).
const lo = `${LO.toFixed(1)}`;
const hi = `${HI.toFixed(1)}`;

/** exp(v) − 1 − v without cancellation near 0 (a Taylor series to v⁶ for |v| < 0.1: error < 1e-11 relative). */
const EXPM1_MINUS_X = `
  fn expm1MinusX(v : f32) -> f32 {
    if (abs(v) < 0.1) {
      return v * v * (0.5 + v * (1.0 / 6.0 + v * (1.0 / 24.0 + v * (1.0 / 120.0 + v * (1.0 / 720.0)))));
    }
    return exp(v) - 1.0 - v;
  }`;

/** z = μ + exp(½ clamp(logVar))·ε ([batch, d]) and KL_b = Σ_j ½(μ² + exp(v) − 1 − v), v = clamp(logVar) ([batch]). */
const forwardKernel: KernelFunc = ({ inputs, backend }) => {
  const { mu, logVar, eps } = inputs as Record<'mu' | 'logVar' | 'eps', TensorInfo>;
  const [batch, d] = mu.shape as [number, number];
  const zProgram = flatProgram(
    'reparameterize',
    ['MU', 'LV', 'EPS'],
    [batch, d],
    `setOutputAtIndex(index, f32(MU[index]) + exp(0.5 * clamp(f32(LV[index]), ${lo}, ${hi})) * f32(EPS[index]));`,
  );
  const klProgram = rowSumProgram(
    'gaussian_kl_rows',
    ['MU', 'LV'],
    batch,
    `let m = f32(MU[i]); return 0.5 * (m * m + expm1MinusX(clamp(f32(LV[i]), ${lo}, ${hi})));`,
    EXPM1_MINUS_X,
  );
  const z = runProgram(backend, zProgram, [mu, logVar, eps], 'float32');
  const kl = runProgram(backend, klProgram, [mu, logVar], 'float32', [{ type: 'int32', data: [d] }]);
  return [z, kl];
};

/** ∂L/∂μ = dz + dKL[row]·μ (either term absent when its output is not on the path to the loss). */
const gradMuKernel: KernelFunc = ({ inputs, backend }) => {
  const { mu, dz, dkl } = inputs as Record<'mu' | 'dz' | 'dkl', TensorInfo | undefined>;
  const names = ['MU', ...(dz ? ['DZ'] : []), ...(dkl ? ['DKL'] : [])];
  const terms = [dz ? 'f32(DZ[index])' : '0.0', dkl ? 'f32(DKL[index / uniforms.d]) * f32(MU[index])' : '0.0'];
  const program = flatProgram(
    `reparameterize_kl_grad_mu_${names.join('_')}`,
    names,
    [...mu!.shape],
    `setOutputAtIndex(index, ${terms.join(' + ')});`,
    { uniforms: 'd : i32,' },
  );
  const tensors = [mu, dz, dkl].filter((t): t is TensorInfo => t != null);
  return runProgram(backend, program, tensors, 'float32', [{ type: 'int32', data: [mu!.shape[1]!] }]);
};

/**
 * ∂L/∂logVar = 1[v in range]·(dz·½σε + dKL[row]·½(exp(v) − 1)), v = logVar, σ = exp(½v), inside the clamp range
 * (inclusive, as tfjs's clipByValue gradient), 0 outside.
 */
const gradLogVarKernel: KernelFunc = ({ inputs, backend }) => {
  const { logVar, eps, dz, dkl } = inputs as Record<'logVar' | 'eps' | 'dz' | 'dkl', TensorInfo | undefined>;
  const names = ['LV', 'EPS', ...(dz ? ['DZ'] : []), ...(dkl ? ['DKL'] : [])];
  const terms = [
    dz ? 'f32(DZ[index]) * 0.5 * exp(0.5 * v) * f32(EPS[index])' : '0.0',
    dkl ? 'f32(DKL[index / uniforms.d]) * 0.5 * (exp(v) - 1.0)' : '0.0',
  ];
  const program = flatProgram(
    `reparameterize_kl_grad_logvar_${names.join('_')}`,
    names,
    [...logVar!.shape],
    `let v = f32(LV[index]);
     let inRange = select(0.0, 1.0, v >= ${lo} && v <= ${hi});
     setOutputAtIndex(index, inRange * (${terms.join(' + ')}));`,
    { uniforms: 'd : i32,' },
  );
  const tensors = [logVar, eps, dz, dkl].filter((t): t is TensorInfo => t != null);
  return runProgram(backend, program, tensors, 'float32', [{ type: 'int32', data: [logVar!.shape[1]!] }]);
};

function register(): void {
  ensureKernel({ kernelName: FORWARD, kernelFunc: forwardKernel });
  ensureKernel({ kernelName: GRAD_MU, kernelFunc: gradMuKernel });
  ensureKernel({ kernelName: GRAD_LOG_VAR, kernelFunc: gradLogVarKernel });
  if (getGradient(FORWARD) != null) return;
  registerGradient({
    kernelName: FORWARD,
    inputsToSave: ['mu', 'logVar', 'eps'],
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[]) => {
      const [dz, dkl] = dys as Array<Tensor | null>;
      const [mu, logVar, eps] = saved as [Tensor2D, Tensor2D, Tensor2D];
      return {
        mu: () => engine().runKernel(GRAD_MU, { mu, ...(dz ? { dz } : {}), ...(dkl ? { dkl } : {}) }) as Tensor,
        logVar: () =>
          engine().runKernel(GRAD_LOG_VAR, { logVar, eps, ...(dz ? { dz } : {}), ...(dkl ? { dkl } : {}) }) as Tensor,
        // ∂z/∂ε = σ (plain ops: ε is noise, asked for only by a caller who differentiates through it).
        eps: () => (dz ? mul(dz, exp(mul(minimum(maximum(logVar, LO), HI), 0.5))) : mul(eps, 0)) as Tensor,
      };
    },
  });
}

/**
 * The reparameterised sample and the KL term of a VAE on WebGPU, in one kernel of two dispatches forward and two
 * backward (docs/math.md §4; core's `reparameterize` and `gaussianKlPerDim` summed over the latent axis):
 *
 *     v = clamp(logVar, −30, 20),  σ = exp(½v),  z = μ + σ ⊙ ε,   KL_b = Σ_j ½ (μ_bj² + exp(v_bj) − 1 − v_bj)
 *     ∂/∂μ: dz + dKL_b·μ        ∂/∂logVar: 1[logVar in range]·(dz·½σε + dKL_b·½(exp(v) − 1))
 *
 * mu, logVar, eps: `[batch, latentDim]` → z `[batch, latentDim]`, kl `[batch]` (nats). Throws a `ShapeError` naming
 * `reparameterizeKlWebGpu` when the shapes differ or are not rank 2. Only for the `webgpu` backend.
 *
 * @example
 * const [batch, latentDim, rng] = [4, 2, createRng(0)];
 * const x = tf.randomUniform([batch, 6]);
 * const [mu, logVar] = [tf.zeros([batch, latentDim]), tf.zeros([batch, latentDim])]; // the encoder's heads
 * const decode = (z) => tf.matMul(z, tf.ones([latentDim, 6])); // the decoder's logits
 * const { z, kl } = reparameterizeKlWebGpu(mu, logVar, rng.normal([batch, latentDim]));
 * const loss = tf.add(tf.mean(bernoulliNllWebGpu(x, decode(z))), tf.mean(kl)); // kl [batch]: 0 for N(0, I)
 */
export function reparameterizeKlWebGpu(mu: Tensor2D, logVar: Tensor2D, eps: Tensor2D): { z: Tensor2D; kl: Tensor1D } {
  const fn = 'reparameterizeKlWebGpu';
  for (const [name, t] of [
    ['logVar', logVar],
    ['eps', eps],
  ] as const) {
    if (mu.rank !== 2 || t.rank !== 2 || t.shape[0] !== mu.shape[0] || t.shape[1] !== mu.shape[1]) {
      throw new ShapeError(
        fn,
        `${name} does not match mu`,
        `rank 2 [batch, latentDim], the shape of mu ${formatShape(mu.shape)}`,
        formatShape(t.shape),
      );
    }
  }
  register();
  const [z, kl] = engine().runKernel(FORWARD, { mu, logVar, eps }) as [Tensor2D, Tensor1D];
  return { z, kl };
}

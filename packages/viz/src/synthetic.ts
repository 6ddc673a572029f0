import { mulberry32 } from './random.js';

/** Synthetic latent data for demos, tests and benchmarks: Gaussian clusters and a smooth toy decoder. */
export interface SyntheticLatentData {
  /** Codes `[n, dim]`, flat row-major. */
  codes: Float32Array;
  dim: number;
  labels: Uint8Array;
  classNames: string[];
}

/**
 * n codes from `classes` Gaussian clusters in `dim` dimensions: class c is centred at radius 2.5 on angle
 * 2πc/classes in the first two dimensions (0 elsewhere), with unit-variance noise scaled by 0.6 (Box–Muller on a
 * seeded mulberry32 stream).
 *
 * @example
 * const { codes, dim, labels } = syntheticLatents(10_000, { seed: 1 });
 */
export function syntheticLatents(
  n: number,
  options: { dim?: number; classes?: number; seed?: number } = {},
): SyntheticLatentData {
  const { dim = 2, classes = 10, seed = 1 } = options;
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const codes = new Float32Array(n * dim);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels[i] = c;
    const angle = (2 * Math.PI * c) / classes;
    for (let j = 0; j < dim; j++) {
      const centre = j === 0 ? 2.5 * Math.cos(angle) : j === 1 ? 2.5 * Math.sin(angle) : 0;
      codes[i * dim + j] = centre + 0.6 * gauss();
    }
  }
  return { codes, dim, labels, classNames: Array.from({ length: classes }, (_, c) => `class ${c}`) };
}

/**
 * A toy decoder z ↦ h × w grey image in [0, 1]: a soft ring whose centre follows tanh of z₁, z₂ and whose radius
 * and thickness follow further dimensions, so decoded grids change smoothly like a real manifold.
 *
 * @example
 * const images = toyDecode(manifoldCodes(dimsPlane(2), 20).codes); // Float32Array [400 · 28 · 28]
 */
export function toyDecode(z: Float32Array[], h = 28, w = 28): Float32Array {
  const out = new Float32Array(z.length * h * w);
  z.forEach((code, i) => {
    const cx = w / 2 + (w / 3.5) * Math.tanh((code[0] ?? 0) / 1.5);
    const cy = h / 2 - (h / 3.5) * Math.tanh((code[1] ?? 0) / 1.5);
    const radius = (Math.min(h, w) / 8) * (1 + 0.5 * Math.tanh(code[2] ?? (code[0] ?? 0) * (code[1] ?? 0)));
    const width = 1.2 + 0.4 * Math.tanh(code[3] ?? 0);
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const dist = Math.hypot(c + 0.5 - cx, r + 0.5 - cy) - radius;
        out[i * h * w + r * w + c] = Math.exp(-(dist * dist) / (2 * width * width));
      }
    }
  });
  return out;
}

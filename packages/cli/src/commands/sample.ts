import { createRng } from '@latentlab/core';
import { writeFileAtomic } from '@latentlab/core/node';
import { loadModel, Vae } from '@latentlab/models';
import { fileSystem } from '@latentlab/models/node';
import { encodeRgbaPng } from '@latentlab/viz';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { intFlag, stringFlag } from '../flags.js';
import { checkMemory } from '../memory.js';
import { type CommandSpec, command } from '../prologue.js';
import { readTensor } from '../tensors.js';

/**
 * Copies of the samples alive at once: the decoder's output and its logits, the Float32Array read back, and the
 * PNG pixels or the JSON text (a JS array of doubles and ≈ 20 characters per number) — the `sample -n` memory estimate's factor.
 */
export const SAMPLE_MEMORY_FACTOR = 8;

/** Lays out n square images of `side`² pixels in [0, 1] as an RGBA grid of ⌈√n⌉ columns. */
export function sampleGrid(
  data: Float32Array,
  n: number,
  side: number,
): { rgba: Uint8ClampedArray; width: number; height: number } {
  const d = side * side;
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const rgba = new Uint8ClampedArray(cols * side * rows * side * 4);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d; p++) {
      const [y, x] = [Math.floor(i / cols) * side + Math.floor(p / side), (i % cols) * side + (p % side)];
      const at = (y * cols * side + x) * 4;
      rgba.fill(Math.round(255 * Math.min(1, Math.max(0, data[i * d + p]!))), at, at + 3);
      rgba[at + 3] = 255;
    }
  }
  return { rgba, width: cols * side, height: rows * side };
}

/** `latentlab sample`'s flags and arguments. */
const SAMPLE_COMMAND: CommandSpec = {
  name: 'sample',
  runDir: true,
  flags: { n: { type: 'string', short: 'n' }, out: { type: 'string' }, seed: { type: 'string' } },
};

/** `latentlab sample <run>`: decodes z ~ N(0, I) of a trained VAE into a PNG grid or a JSON array. */
export const sample = command(SAMPLE_COMMAND, async ({ values: v, dir }, io) => {
  const n = intFlag('n', v.n, 64);
  const seed = intFlag('seed', v.seed, 0, 0);
  const out = stringFlag(v.out, 'samples.json')!;
  if (!out.endsWith('.png') && !out.endsWith('.json'))
    throw new UsageError('--out', 'a .png or .json file', JSON.stringify(out));
  const { model, optimizer } = await loadModel(fileSystem(dir));
  try {
    if (!(model instanceof Vae))
      throw new UsageError('latentlab sample', 'a VAE run', `a ${model.constructor.name} run`);
    const d = model.inputSize;
    const side = Math.round(Math.sqrt(d));
    if (out.endsWith('.png') && side * side !== d) {
      throw new UsageError('--out', 'square images for .png (use .json)', `${d} features`);
    }
    checkMemory('sample -n', n, d, SAMPLE_MEMORY_FACTOR);
    const data = await readTensor(() => model.sample(n, createRng(seed)));
    if (out.endsWith('.png')) {
      const grid = sampleGrid(data, n, side);
      await writeFileAtomic(out, encodeRgbaPng(grid.rgba, grid.width, grid.height), 'latentlab sample');
    } else {
      await writeFileAtomic(out, JSON.stringify({ shape: [n, d], data: Array.from(data) }), 'latentlab sample');
    }
    io.stdout(`${JSON.stringify({ samples: n, out }, null, 2)}\n`);
    return EXIT.ok;
  } finally {
    model.dispose();
    optimizer?.dispose(); // the Adam slots restored with the checkpoint (not used here)
  }
});

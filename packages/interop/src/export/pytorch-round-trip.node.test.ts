// Latentlab → safetensors → PyTorch (packages/torch's reference modules, load_state_dict strict) → safetensors →
// Latentlab is bit-identical, and PyTorch's encode/decode of the exported model equal Latentlab's within 1e-5.
// Needs /usr/bin/python3 with torch and numpy (the CI installs Debian's python3-torch).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Autoencoder, Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSafetensors } from '../import/import-safetensors.js';
import { writeModelSafetensors } from '../node/write-file.js';
import { readSafetensors } from '../safetensors/read.js';
import { writeSafetensors } from '../safetensors/write.js';
import { decoderOutput, maxAbsDiff } from '../testing/fixtures.js';

const PYTHON = '/usr/bin/python3';
const TORCH_PACKAGE = fileURLToPath(new URL('../../../torch', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;

const SCRIPT = `
import sys, numpy as np, torch
sys.path.insert(0, sys.argv[1])
from latentlab_torch.io import load_latentlab, save_latentlab
from latentlab_torch.safetensors import load_file, save_file
model = load_latentlab(sys.argv[2])
inputs, _ = load_file(sys.argv[3])
x = torch.from_numpy(np.asarray(inputs["x"]))
with torch.no_grad():
    if model.kind == "vae":
        mu, log_var = model.encode(x)
        out = {"mu": mu, "log_var": log_var, "f": model.decode(mu)}
    else:
        z = model.encode(x)
        out = {"z": z, "f": model.decode(z)}
save_file({k: v.numpy() for k, v in out.items()}, sys.argv[4])
save_latentlab(model, sys.argv[5])
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'interop-torch-'));
});
afterAll(async () => {
  if (!process.env.KEEP) await rm(dir, { recursive: true, force: true });
});

describe.runIf(hasTorch)('round trip through PyTorch', () => {
  it.each([
    ['a tanh VAE', () => new Vae({ inputShape: [12], latentDim: 3, hiddenUnits: [8, 5], activation: 'tanh', seed: 5 })],
    [
      'a learned-variance VAE',
      () =>
        new Vae({
          inputShape: [10],
          latentDim: 2,
          hiddenUnits: [6],
          activation: 'leakyRelu',
          decoder: 'gaussian',
          decoderVariance: 'learned',
          seed: 6,
        }),
    ],
    [
      'an MLP autoencoder',
      () =>
        new Autoencoder({
          inputShape: [12],
          latentDim: 3,
          hiddenUnits: [7],
          activation: 'elu',
          seed: 7,
        }) as unknown as Vae,
    ],
  ])(
    '%s: bit-identical back, PyTorch outputs within 1e-5',
    async (name, make) => {
      const model = make();
      const stem = path.join(dir, name.replace(/\W+/g, '-'));
      const exported = `${stem}.safetensors`;
      await writeModelSafetensors(model, exported);
      const d = model.inputSize;
      const xs = Float32Array.from({ length: 4 * d }, (_, i) => Math.fround((Math.sin(i * 0.77) + 1) / 2));
      await writeFile(`${stem}.inputs.safetensors`, writeSafetensors({ x: { shape: [4, d], values: xs } }));
      execFileSync(
        PYTHON,
        [
          '-c',
          SCRIPT,
          TORCH_PACKAGE,
          exported,
          `${stem}.inputs.safetensors`,
          `${stem}.outputs.safetensors`,
          `${stem}.back.safetensors`,
        ],
        { timeout: 120_000 },
      );

      // Every tensor comes back with the same bytes, and imports to the same weights.
      const original = readSafetensors(await readFile(exported));
      const back = readSafetensors(await readFile(`${stem}.back.safetensors`));
      expect([...back.tensors.keys()].sort()).toEqual([...original.tensors.keys()].sort());
      for (const [n, t] of original.tensors) expect(back.tensors.get(n)!.bytes).toEqual(t.bytes);
      // The whole file, too: both writers lay the header out as the reference does (__metadata__ first, sorted
      // names, compact JSON, space padding).
      expect(await readFile(`${stem}.back.safetensors`)).toEqual(await readFile(exported));
      const copy = importSafetensors(back) as Vae | Autoencoder;
      const a = model.getWeights();
      const b = copy.getWeights();
      for (const k of Object.keys(a)) expect(b[k]!.dataSync()).toEqual(a[k]!.dataSync());
      tf.dispose([...Object.values(a), ...Object.values(b)]);

      // PyTorch's outputs equal Latentlab's.
      const out = readSafetensors(await readFile(`${stem}.outputs.safetensors`)).tensors;
      const x = tf.tensor2d(xs, [4, d]);
      const code = model instanceof Vae ? model.posterior(x) : { mu: (model as Autoencoder).encode(x), logVar: null };
      const f = decoderOutput(model, code.mu);
      expect(maxAbsDiff(code.mu.dataSync(), out.get(model instanceof Vae ? 'mu' : 'z')!.values)).toBeLessThan(1e-5);
      if (code.logVar) expect(maxAbsDiff(code.logVar.dataSync(), out.get('log_var')!.values)).toBeLessThan(1e-5);
      expect(maxAbsDiff(f.dataSync(), out.get('f')!.values)).toBeLessThan(1e-5);
      tf.dispose([x, code.mu, ...(code.logVar ? [code.logVar] : []), f]);
      copy.dispose();
      model.dispose();
    },
    180_000,
  );
});

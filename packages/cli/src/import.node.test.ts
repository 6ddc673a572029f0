// `latentlab import`: a model trained in PyTorch (the pytorch/examples VAE fixture made by real PyTorch,
// packages/interop/fixtures) becomes a run directory that eval and sample use like one trained here.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensorsFile } from '@latentlab/interop/node';
import { loadModel, Vae } from '@latentlab/models';
import { fileSystem } from '@latentlab/models/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as run } from './test-support/cli.js';

const fixture = fileURLToPath(new URL('../../interop/fixtures/pytorch-examples-vae/', import.meta.url));
const backend = tf.getBackend(); // the test project's (cpu or wasm): every command runs on it
const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-import-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('latentlab import', () => {
  it("imports pytorch/examples' VAE: the run's encoder gives PyTorch's μ and log σ², eval and sample run on it", async () => {
    const out = path.join(root, 'pe-vae');
    const r = await run(
      'import',
      path.join(fixture, 'model.safetensors'),
      '--out',
      out,
      '--epochs',
      '10',
      '--backend',
      backend,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ run: out, model: 'vae', dataset: 'mnist', epochs: 10 });

    const { tensors: inputs } = await readSafetensorsFile(path.join(fixture, 'inputs.safetensors'));
    const { tensors: outputs } = await readSafetensorsFile(path.join(fixture, 'outputs.safetensors'));
    const x = inputs.get('x')!;
    const { model, optimizer } = await loadModel(fileSystem(out));
    expect(model).toBeInstanceOf(Vae);
    expect(optimizer).toBeNull();
    const before = tf.memory().numTensors;
    const [mu, logVar] = tf.tidy(() => {
      const { mu, logVar } = (model as Vae).posterior(tf.tensor2d(x.values, x.shape as [number, number]));
      return [mu.dataSync(), logVar.dataSync()];
    });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    for (const [ours, name] of [
      [mu, 'mu'],
      [logVar, 'log_var'],
    ] as const) {
      const theirs = outputs.get(name)!.values;
      expect(ours.length).toBe(theirs.length);
      let worst = 0;
      for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
      expect(worst, name).toBeLessThan(1e-5);
    }

    const evaluated = await run('eval', out, '--limit', '64', '--backend', backend);
    expect(evaluated.code).toBe(0);
    const metrics = JSON.parse(evaluated.stdout);
    expect(metrics.examples).toBe(64);
    expect(metrics.backend).toBe(backend);
    const { loss, reconstruction, kl } = metrics.loss;
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeCloseTo(reconstruction + kl, 3);
    const sampled = await run('sample', out, '-n', '4', '--out', path.join(root, 'pe.json'), '--backend', backend);
    expect(sampled.code).toBe(0);
    expect(JSON.parse(await fs.readFile(path.join(root, 'pe.json'), 'utf8')).shape).toEqual([4, 784]);
  });

  it('refuses a damaged file with one line and exit code 1, writing nothing', async () => {
    const bytes = await fs.readFile(path.join(fixture, 'model.safetensors'));
    const damaged = path.join(root, 'damaged.safetensors');
    await fs.writeFile(damaged, bytes.subarray(0, bytes.length - 1000)); // truncated inside the last tensor
    const out = path.join(root, 'damaged-run');
    const r = await run('import', damaged, '--out', out, '--backend', backend);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^latentlab import: .*safetensors/i);
    await expect(fs.stat(out)).rejects.toThrow(/ENOENT/);
  });

  it('needs a file and --out (exit code 2)', async () => {
    expect((await run('import')).code).toBe(2);
    const r = await run('import', path.join(fixture, 'model.safetensors'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out/);
  });
});

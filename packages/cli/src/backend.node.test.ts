// `--backend webgpu` is optional in Node (Dawn's bindings, npm `webgpu`): without a GPU adapter it is one line on
// stderr and exit code 1, and the backend in use stays; with one (a GPU, or SwiftShader's Vulkan through
// LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json) bench runs on it.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './backend.js';
import { EXIT } from './exit-codes.js';
import { USAGE } from './help.js';
import { runCli as run, writePointsCsv } from './test-support/cli.js';

const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-backend-'));
const original = tf.getBackend();
afterAll(async () => {
  await tf.setBackend(original);
  await fs.rm(root, { recursive: true, force: true });
});

describe('--backend webgpu', () => {
  it('is listed in the choices and the help', () => {
    expect(BACKENDS).toEqual(['cpu', 'wasm', 'webgpu']);
    expect(USAGE.train).toContain('--backend <cpu|wasm|webgpu>');
  });

  it('trains on it where Dawn finds an adapter, else fails in one line naming why', async () => {
    const csv = await writePointsCsv(path.join(root, 'points.csv'), { n: 64, dim: 8, rank: 2, seed: 3 });
    const r = await run('bench', '--dataset', csv, '--latent', '2', '--hidden', '8', '--backend', 'webgpu');
    if (r.code !== EXIT.ok) {
      expect(r.code, r.stderr).toBe(EXIT.failed);
      expect(r.stderr).toMatch(/webgpu/);
      expect(r.stderr).toMatch(/no WebGPU adapter|Dawn's Node bindings \(webgpu\) are not installed/);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(tf.getBackend()).toBe(original);
    } else {
      expect(tf.getBackend()).toBe('webgpu');
      expect(JSON.parse(r.stdout)).toMatchObject({ backend: 'webgpu' });
    }
  });
});

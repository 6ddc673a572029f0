// Hostile model directories: each case is a real saved model (a VAE with Adam state and training progress, or a
// fitted PCA) edited the way an attacker would, then loaded through fileSystem() + loadModel in a child Node
// process (scripts/hostile-load.entry.mjs, bundled with rolldown), so that the child's peak memory
// (VmHWM, or process.resourceUsage().maxRSS without procfs) and time can be measured. Every case must end in a ModelFormatError with the
// expected message, under 300 MB and 10 s, with no tensor left alive, and without reading or changing the files
// outside its directory (content and mtime compared; atime too where the file system updates it).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../optimizers.js';
import { Pca } from '../pca/pca.js';
import type { TrainState } from '../training/train-state.js';
import { Vae } from '../vae.js';
import { fileSystem } from './file-system.js';
import { editModelJson, offsetOf, readModelDir, rewriteWeights, writeModelJson } from './fixtures/model-dir.js';
import { MAX_MODEL_JSON_BYTES } from './format.js';
import { saveModel } from './save-load.js';

const MAX_RSS_BYTES = 300 * 2 ** 20;
const MAX_LOAD_MS = 10_000;
const packageRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-hostile-'));
const outside = path.join(root, 'outside');
const secretBin = path.join(outside, 'secret.bin'); // a copy of a valid weights file: loadable if followed
const secretTxt = path.join(outside, 'secret.txt'); // a file of a telltale size (like /etc/passwd)
const SECRET_TXT_BYTES = 12_345;
let bundle = '';
let vaeDir = '';
let pcaDir = '';
afterAll(() => fs.rm(root, { recursive: true, force: true }));

beforeAll(async () => {
  bundle = path.join(root, 'hostile-load.mjs');
  await build({
    input: path.join(packageRoot, 'scripts/hostile-load.entry.mjs'),
    platform: 'node',
    logLevel: 'warn',
    resolve: {
      conditionNames: ['@latentlab/source', 'node', 'import', 'module', 'default'],
      extensionAlias: { '.js': ['.ts', '.js'] },
    },
    treeshake: false,
    output: { file: bundle, format: 'esm', codeSplitting: false },
  });
  const { dataset } = noisyLinearSubspace({ n: 96, dim: 8, rank: 2, noise: 0.05, seed: 3 });
  const vae = new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6], seed: 1 });
  const optimizerConfig = { name: 'adam', learningRate: 1e-2 } as const;
  const optimizer = createOptimizer(optimizerConfig);
  let training: TrainState | null = null;
  await vae.fit(dataset, {
    epochs: 2,
    batchSize: 32,
    optimizer,
    onEpochEnd: (_, s) => {
      training = s;
    },
  });
  vaeDir = path.join(root, 'vae');
  await saveModel(vae, fileSystem(vaeDir), { optimizer, optimizerConfig, training });
  vae.dispose();
  optimizer.dispose();
  const pca = await new Pca({ nComponents: 3 }).fit(
    tf.tensor2d(Float32Array.from(dataset.x as ArrayLike<number>), [96, 8]),
  );
  pcaDir = path.join(root, 'pca');
  await saveModel(pca, fileSystem(pcaDir));
  pca.dispose();
  await fs.mkdir(outside);
  await fs.writeFile(secretBin, (await readModelDir(vaeDir)).weights);
  await fs.writeFile(secretTxt, Buffer.alloc(SECRET_TXT_BYTES, 'x'));
}, 120_000);

interface ChildResult {
  ok: boolean;
  name?: string;
  message?: string;
  ms: number;
  maxRssKiB: number;
  leakedTensors: number;
}

/** Loads `dir` in a child process (killed after 60 s: a hang fails the case instead of the run). */
function loadInChild(dir: string, ballastMiB = 0): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir], {
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LATENTLAB_TEST_BALLAST_MIB: String(ballastMiB) },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = out.trim().split('\n').at(-1);
      if (code !== 0 || !line) reject(new Error(`child exited with ${code ?? signal}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

/** Content of the files outside every case's directory. */
const outsideBytes = () => Promise.all([secretBin, secretTxt].map((f) => fs.readFile(f)));
/** Their mtime and atime (a stat reads nothing). */
const outsideTimes = () =>
  Promise.all([secretBin, secretTxt].map(async (f) => ({ file: f, ...pick(await fs.stat(f)) })));
const pick = ({ mtimeMs, atimeMs }: { mtimeMs: number; atimeMs: number }) => ({ mtimeMs, atimeMs });

/** Sets the outside files' atime before their mtime, so that a read updates it (under relatime too). */
async function armAtimes(): Promise<boolean> {
  const old = new Date(Date.now() - 3_600_000);
  for (const f of [secretBin, secretTxt]) await fs.utimes(f, old, (await fs.stat(f)).mtime);
  // Whether this file system updates atime on reads at all: read a probe file set up the same way.
  const probe = path.join(root, 'atime-probe');
  await fs.writeFile(probe, 'probe');
  await fs.utimes(probe, old, (await fs.stat(probe)).mtime);
  const before = (await fs.stat(probe)).atimeMs;
  await fs.readFile(probe);
  return (await fs.stat(probe)).atimeMs !== before;
}

type Setup = (dir: string) => Promise<void>;
const fromVae = (edit: Setup) => ({ base: () => vaeDir, edit });
const fromPca = (edit: Setup) => ({ base: () => pcaDir, edit });
const weightsPath = async (dir: string) => path.join(dir, (await readModelDir(dir)).weightsName);
const setPaths = (paths: string[]) => (dir: string) =>
  editModelJson(dir, (j) => {
    j.weightsManifest[0].paths = paths;
  });
const setTraining =
  (field: string, value: unknown, dropNoise = false) =>
  (dir: string) =>
    editModelJson(dir, (j) => {
      j.modelTopology.training[field] = value;
      if (dropNoise) delete j.modelTopology.noise;
    });
const setPca = (field: string, value: unknown) => (dir: string) =>
  editModelJson(dir, (j) => {
    j.modelTopology.pca[field] = value;
  });
/** Writes a float64 into a PCA weight and recomputes the CRC-32: a well-formed file with an impossible value. */
const setPcaValue = (weight: string, index: number, value: number) => async (dir: string) => {
  const { json, weights } = await readModelDir(dir);
  const bytes = Buffer.from(weights);
  bytes.writeDoubleLE(value, offsetOf(json, weight) + 8 * index);
  await rewriteWeights(dir, bytes);
};

const CASES: Record<string, { base: () => string; edit: Setup; error: RegExp }> = {
  'traversal (../) to a valid outside weights file': {
    ...fromVae(setPaths(['../outside/secret.bin'])),
    error: /weights path "\.\.\/outside\/secret\.bin" leaves the model directory/,
  },
  'an absolute path to a valid outside weights file': {
    ...fromVae(setPaths([secretBin])),
    error: /weights path ".*secret\.bin" is absolute/,
  },
  'an absolute path to /etc/passwd': { ...fromVae(setPaths(['/etc/passwd'])), error: /"\/etc\/passwd" is absolute/ },
  'a weights file that is a symlink to /dev/zero': {
    ...fromVae(async (dir) => {
      const file = await weightsPath(dir);
      await fs.rm(file);
      await fs.symlink('/dev/zero', file);
    }),
    error: /resolves outside the model directory/,
  },
  'a weights file that is a symlink to an outside file': {
    ...fromVae(async (dir) => {
      const file = await weightsPath(dir);
      await fs.rm(file);
      await fs.symlink(secretBin, file);
    }),
    error: /resolves outside the model directory/,
  },
  'a weights file that is a FIFO': {
    ...fromVae(async (dir) => {
      const file = await weightsPath(dir);
      await fs.rm(file);
      expect(spawnSync('mkfifo', [file]).status).toBe(0);
    }),
    error: /is not a regular file: expected a regular file inside .*, found a FIFO/,
  },
  'model.json that is a FIFO': {
    ...fromVae(async (dir) => {
      await fs.rm(path.join(dir, 'model.json'));
      expect(spawnSync('mkfifo', [path.join(dir, 'model.json')]).status).toBe(0);
    }),
    error: /model file "model\.json" is not a regular file.*found a FIFO/,
  },
  'a directory as weights path': {
    ...fromVae(async (dir) => {
      await fs.mkdir(path.join(dir, 'sub.bin'));
      await setPaths(['sub.bin'])(dir);
    }),
    error: /"sub\.bin" is not a regular file.*found a directory/,
  },
  'hiddenUnits [400000] (3.6 GB if built)': {
    ...fromVae((dir) =>
      editModelJson(dir, (j) => {
        j.modelTopology.config.hiddenUnits = [400000];
        j.modelTopology.config.inputShape = [784];
      }),
    ),
    error: /weight 'encoder\/0\/w' has the wrong shape: expected \[784, 400000\]/,
  },
  'hiddenUnits [700000]': {
    ...fromVae((dir) =>
      editModelJson(dir, (j) => {
        j.modelTopology.config.hiddenUnits = [700000];
        j.modelTopology.config.inputShape = [784];
      }),
    ),
    error: /weight 'encoder\/0\/w' has the wrong shape: expected \[784, 700000\]/,
  },
  'a manifest claiming giant shapes over the small file': {
    ...fromVae((dir) =>
      editModelJson(dir, (j) => {
        j.modelTopology.config.hiddenUnits = [700000];
        j.weightsManifest[0].weights[0].shape = [8, 700000];
      }),
    ),
    error: /ends inside weight 'model\/encoder\/0\/w'/,
  },
  'trainRows 1e12 without noise state (replayed for ever)': {
    ...fromVae(setTraining('trainRows', 1e12, true)),
    error: /training\.trainRows is invalid: expected trainRows \+ evalRows ≤ 16777216/,
  },
  'trainRows NaN (written as null)': {
    ...fromVae(setTraining('trainRows', null)),
    error: /training\.trainRows is invalid: expected an integer ≥ 0, found null/,
  },
  'trainRows negative': { ...fromVae(setTraining('trainRows', -5)), error: /training\.trainRows is invalid/ },
  'trainRows a string': { ...fromVae(setTraining('trainRows', '128')), error: /training\.trainRows is invalid/ },
  'epoch fractional': { ...fromVae(setTraining('epoch', 1.5)), error: /training\.epoch is invalid/ },
  'history a string': { ...fromVae(setTraining('history', 'x')), error: /training\.history is invalid/ },
  'partial seconds negative': {
    ...fromVae(setTraining('partial', { rows: 32, total: 1, reconstruction: 1, kl: 0, seconds: -1 })),
    error: /training\.partial\.seconds is invalid: expected absent or a finite number ≥ 0, found -1/,
  },
  'non-finite weight with a valid CRC-32': {
    ...fromVae(async (dir) => {
      const { json, weights } = await readModelDir(dir);
      const bytes = Buffer.from(weights);
      bytes.writeFloatLE(Number.NaN, offsetOf(json, 'model/decoder/0/w') + 4 * 3);
      await rewriteWeights(dir, bytes);
    }),
    error: /weight 'model\/decoder\/0\/w' holds a non-finite value at index 3/,
  },
  'PCA totalVariance −1': { ...fromPca(setPca('totalVariance', -1)), error: /pca\.totalVariance is invalid/ },
  'PCA k > d': { ...fromPca(setPca('k', 9)), error: /pca\.k is invalid/ },
  'PCA NaN in the mean (valid CRC-32)': {
    ...fromPca(setPcaValue('pca/mean', 2, Number.NaN)),
    error: /weight 'pca\/mean' holds a non-finite value at index 2/,
  },
  'PCA negative explained variance (valid CRC-32)': {
    ...fromPca(setPcaValue('pca/explainedVariance', 1, -0.5)),
    error: /'pca\/explainedVariance' is negative at index 1/,
  },
  'PCA explained variance above the total': {
    ...fromPca(setPca('totalVariance', 1e-6)),
    error: /explained variances add up to more than totalVariance/,
  },
  'a truncated weights file': {
    ...fromVae(async (dir) => fs.truncate(await weightsPath(dir), 100)),
    error: /weights file weights\..*\.bin ends inside weight/,
  },
  'an oversized (sparse 4 GiB) weights file': {
    ...fromVae(async (dir) => fs.truncate(await weightsPath(dir), 2 ** 32)),
    error: /weights file weights\..*\.bin is longer than its manifest: expected \d+ bytes, found 4294967296 bytes/,
  },
  'a renamed weights file': {
    ...fromVae(async (dir) => fs.rename(await weightsPath(dir), path.join(dir, 'renamed.bin'))),
    error: /weights file weights\..*\.bin is missing or unreadable/,
  },
  'an oversized model.json': {
    ...fromVae(async (dir) => {
      const { json } = await readModelDir(dir);
      await writeModelJson(dir, { ...json, padding: 'x'.repeat(MAX_MODEL_JSON_BYTES) });
    }),
    error: /model\.json is too large: expected at most 16777216 bytes/,
  },
};

describe('hostile model directories', () => {
  it('the unedited directories load in the child (the harness itself works)', async () => {
    for (const dir of [vaeDir, pcaDir]) {
      const result = await loadInChild(dir);
      expect(result).toMatchObject({ ok: true, leakedTensors: 0 });
      expect(result.maxRssKiB * 1024).toBeLessThan(MAX_RSS_BYTES);
    }
    // The meter's control: 350 MiB touched after the load show up in the peak.
    const heavy = await loadInChild(vaeDir, 350);
    expect(heavy.maxRssKiB * 1024).toBeGreaterThan(350 * 2 ** 20);
  }, 120_000);

  for (const [name, { base, edit, error }] of Object.entries(CASES)) {
    it(`${name}: ModelFormatError, bounded memory and time, nothing outside read or changed`, async () => {
      const dir = path.join(root, 'cases', name.replace(/[^a-z0-9]+/gi, '-'));
      await fs.cp(base(), dir, { recursive: true });
      await edit(dir);
      const bytes = await outsideBytes();
      const atimeUsable = await armAtimes();
      const times = await outsideTimes();
      const result = await loadInChild(dir);
      const timesAfter = await outsideTimes();
      expect(result.ok).toBe(false);
      expect(result.name).toBe('ModelFormatError');
      expect(result.message).toMatch(error);
      expect(result.maxRssKiB * 1024).toBeLessThan(MAX_RSS_BYTES);
      expect(result.ms).toBeLessThan(MAX_LOAD_MS);
      expect(result.leakedTensors).toBe(0);
      expect(result.message).not.toContain(String(SECRET_TXT_BYTES));
      for (const [i, t] of times.entries()) {
        expect(timesAfter[i]!.mtimeMs, `${t.file} was changed`).toBe(t.mtimeMs);
        if (atimeUsable) expect(timesAfter[i]!.atimeMs, `${t.file} was read`).toBe(t.atimeMs);
      }
      for (const [i, b] of (await outsideBytes()).entries()) expect(b.equals(bytes[i]!)).toBe(true);
    }, 120_000);
  }
});

// Runs in a scratch project where @latentlab/interop was installed from its packed tarball with only its
// required peer (@tensorflow/tfjs-core): what a user who installs the package alone gets, in plain Node.
// pack-test-with: @tensorflow/tfjs-backend-cpu
import '@tensorflow/tfjs-backend-cpu';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  importSafetensors,
  modelToSafetensors,
  readSafetensors,
  SafetensorsFormatError,
  writeSafetensors,
} from '@latentlab/interop';
import { importRun, readSafetensorsFile, writeModelSafetensors } from '@latentlab/interop/node';
import { Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('cpu');
const vae = new Vae({ inputShape: [6], latentDim: 2, hiddenUnits: [4] });
const { safetensors } = await modelToSafetensors(vae);
const copy = importSafetensors(readSafetensors(safetensors));
assert.deepEqual(copy.config, vae.config);
assert.throws(() => readSafetensors(safetensors.subarray(0, 20)), SafetensorsFormatError);

const dir = await mkdtemp(path.join(os.tmpdir(), 'interop-smoke-'));
const file = path.join(dir, 'vae.safetensors');
await writeModelSafetensors(vae, file);
assert.equal((await readSafetensorsFile(file)).tensors.size, vae.weightNames.length);
const info = await importRun(file, path.join(dir, 'run'));
assert.equal(info.model, 'vae');
assert.equal(JSON.parse(await readFile(path.join(dir, 'run', 'run.json'), 'utf8')).model, 'vae');
assert.equal(writeSafetensors({ w: { shape: [1], values: [1] } }).byteLength % 8, 4);
vae.dispose();
copy.dispose();
console.log('@latentlab/interop from its tarball: ok');

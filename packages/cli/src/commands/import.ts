import { stat } from 'node:fs/promises';
import { importRun } from '@latentlab/interop/node';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { intFlag, stringFlag, valueFlags } from '../flags.js';
import { checkBytes } from '../memory.js';
import { type CommandSpec, command } from '../prologue.js';

/**
 * Copies of the weights alive at once while importing: the file's bytes, their float32 conversion, the model's
 * tensors and the checkpoint's encoded weights — the memory estimate's factor over the file size.
 */
export const IMPORT_MEMORY_FACTOR = 4;

/** `latentlab import`'s flags and arguments. */
const IMPORT_COMMAND: CommandSpec = {
  name: 'import',
  runDir: true,
  positional: 'a .safetensors file',
  flags: valueFlags('out', 'dataset', 'epochs', 'batch-size'),
};

/**
 * `latentlab import <file.safetensors> --out <run>`: a model trained elsewhere (PyTorch's pytorch/examples VAE,
 * pythae, `latentlab_torch`, any Latentlab export) as a run directory that `eval`, `sample` and `report` use like
 * one trained here (`importRun` of `@latentlab/interop`).
 */
export const importModel = command(IMPORT_COMMAND, async ({ values: v, dir: file }, io) => {
  const out = stringFlag(v.out, undefined);
  if (!out) throw new UsageError('--out', 'a run directory', 'nothing');
  const epochs = intFlag('epochs', v.epochs, 0, 0);
  const batchSize = intFlag('batch-size', v['batch-size'], 128);
  const dataset = stringFlag(v.dataset, 'mnist')!;
  const size = (await stat(file).catch(() => null))?.size;
  if (size !== undefined) {
    checkBytes('latentlab import', size * IMPORT_MEMORY_FACTOR, `${size} B file × ${IMPORT_MEMORY_FACTOR}`);
  }
  const info = await importRun(file, out, { dataset, epochs, batchSize });
  io.stdout(`${JSON.stringify({ run: out, ...info }, null, 2)}\n`);
  return EXIT.ok;
});

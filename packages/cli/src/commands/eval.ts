import * as path from 'node:path';
import { writeFileAtomic } from '@latentlab/core/node';
import { evaluateLatentModel, loadModel, Pca, pcaMetrics } from '@latentlab/models';
import { fileSystem, readRunInfo } from '@latentlab/models/node';
import * as tf from '@tensorflow/tfjs-core';
import { EXIT } from '../exit-codes.js';
import { intFlag, valueFlags } from '../flags.js';
import { featuresOf, loadDataset } from '../load-dataset.js';
import { checkMemory } from '../memory.js';
import { ProgressBar } from '../progress.js';
import { type CommandSpec, command } from '../prologue.js';
import { featureMatrix } from '../tensors.js';

/** `latentlab eval`'s flags and arguments. */
const EVAL_COMMAND: CommandSpec = {
  name: 'eval',
  runDir: true,
  flags: valueFlags('iwae', 'limit', 'batch-size', 'seed'),
};

/** `latentlab eval <run>`: metrics of a trained run on its test split, on stdout and in `<run>/metrics.json`. */
export const evaluate = command(EVAL_COMMAND, async ({ values: v, dir }, io) => {
  const limit = v.limit === undefined ? undefined : intFlag('limit', v.limit, 1);
  const iwaeK = intFlag('iwae', v.iwae, 0, 0, 1_000_000);
  const batchSize = intFlag('batch-size', v['batch-size'], 500);
  const seed = intFlag('seed', v.seed, 0, 0);
  const info = await readRunInfo(dir);
  const test = await loadDataset(info.dataset, 'test', limit);
  // The batch's rows, its reconstruction, and the loss terms' temporaries.
  checkMemory('--batch-size', Math.min(batchSize, test.shape[0]!), featuresOf(test), 4);
  const { model, optimizer } = await loadModel(fileSystem(dir));
  try {
    let metrics: object;
    if (model instanceof Pca) {
      const x = featureMatrix(test);
      try {
        metrics = { model: 'pca', ...(await pcaMetrics(model, x)) };
      } finally {
        x.dispose();
      }
    } else {
      const bar = new ProgressBar(io, 1);
      metrics = await evaluateLatentModel(model, test, {
        iwaeK,
        batchSize,
        seed,
        onProgress: (done, total) => bar.fraction(done / total, `IWAE K=${iwaeK}`),
      });
      bar.finish();
    }
    const text = `${JSON.stringify(
      { run: dir, dataset: info.dataset, examples: test.shape[0], backend: tf.getBackend(), ...metrics },
      null,
      2,
    )}\n`;
    await writeFileAtomic(path.join(dir, 'metrics.json'), text, 'latentlab eval');
    io.stdout(text);
    return EXIT.ok;
  } finally {
    model.dispose();
    optimizer?.dispose(); // the Adam slots restored with the checkpoint (not used here)
  }
});

import { createRng } from '@latentlab/core';
import { writeFileAtomic } from '@latentlab/core/node';
import {
  type EpochLog,
  evaluateLatentModel,
  type LossSummary,
  loadModel,
  Pca,
  pcaMetrics,
  Vae,
} from '@latentlab/models';
import { checkRunHistory, fileSystem, readRunInfo } from '@latentlab/models/node';
import { type LatentReportData, type LossHistory, latentReportSections, screePlot } from '@latentlab/viz';
import { writeReport } from '@latentlab/viz/node';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { intFlag, stringFlag, valueFlags } from '../flags.js';
import { loadDataset } from '../load-dataset.js';
import { checkMemory } from '../memory.js';
import { type CommandSpec, command } from '../prologue.js';
import { featureMatrix, readTensor } from '../tensors.js';

/** Copies of the encoded points alive at once (rows, codes, the KL pass's batches): the `--points` estimate's factor. */
export const REPORT_MEMORY_FACTOR = 6;

/** Loss curves (total, reconstruction, KL) from a checkpoint's epoch logs, or undefined when there are none. */
function curves(logs: EpochLog[], get: (log: EpochLog) => LossSummary | null): LossHistory | undefined {
  const rows = logs.map(get).filter((s): s is LossSummary => s !== null && s !== undefined);
  if (rows.length === 0) return undefined;
  return {
    total: rows.map((s) => s.loss),
    reconstruction: rows.map((s) => s.reconstruction),
    ...(rows.every((s) => s.kl !== null) && { kl: rows.map((s) => s.kl!) }),
  };
}

/** `latentlab report`'s flags and arguments. */
const REPORT_COMMAND: CommandSpec = {
  name: 'report',
  runDir: true,
  flags: valueFlags('out', 'points', 'images', 'seed'),
};

/** `latentlab report <run> --out <dir>`: an HTML page with PNG plots of a trained run. */
export const report = command(REPORT_COMMAND, async ({ values: v, dir }, io) => {
  const out = stringFlag(v.out);
  if (!out) throw new UsageError('--out', 'a report directory', 'nothing');
  const points = intFlag('points', v.points, 5000);
  const nImages = intFlag('images', v.images, 16, 8, 16);
  const seed = intFlag('seed', v.seed, 0, 0);
  const info = await readRunInfo(dir);
  const { model, optimizer, training } = await loadModel(fileSystem(dir));
  optimizer?.dispose();
  let x: tf.Tensor2D | null = null;
  try {
    const logs = checkRunHistory(training?.history ?? [], `${dir}/model.json`);
    // Refused before the data set is read: the points asked for × the model's input size.
    const d = model instanceof Pca ? model.mean.shape[0] : model.inputSize;
    checkMemory('--points', points, d, REPORT_MEMORY_FACTOR);
    const test = await loadDataset(info.dataset, 'test', points);
    x = featureMatrix(test);
    const input = x;
    const n = input.shape[0];
    const side = Math.round(Math.sqrt(d));
    const imageShape: [number, number] | undefined = side * side === d ? [side, side] : undefined;
    const codes = await readTensor(() => model.encode(input));
    const dim = codes.length / n;
    const shown = Math.min(nImages, n);
    // Pixels are shown clipped to [0, 1]: a Gaussian decoder's mean, PCA and autoencoders can overshoot.
    const pixels: [number, number] = [0, 1];
    const inputs = await readTensor(() => tf.slice(input, [0, 0], [shown, d]), pixels);
    const reconstructions = await readTensor(() => {
      const first = tf.slice(input, [0, 0], [shown, d]);
      return model instanceof Pca ? model.reconstruct(first) : model.decode(model.encode(first));
    }, pixels);
    const samples =
      model instanceof Vae ? await readTensor(() => model.sample(shown, createRng(seed)), pixels) : undefined;
    const klPerDim =
      model instanceof Vae
        ? ((await evaluateLatentModel(model, test, { batchSize: 500 })).klPerDim ?? undefined)
        : undefined;
    const decode = (zs: Float32Array[]) => {
      const flat = new Float32Array(zs.length * dim);
      for (let i = 0; i < zs.length; i++) flat.set(zs[i]!, i * dim);
      return readTensor(() => model.decode(tf.tensor2d(flat, [zs.length, dim])), pixels);
    };
    const trainHistory = curves(logs, (log) => log);
    const validation = logs.every((log) => log.validation) ? curves(logs, (log) => log.validation) : undefined;
    const data: LatentReportData = {
      codes,
      dim,
      ...(test.labels && { labels: test.labels }),
      ...(test.classNames && { classNames: [...test.classNames] }),
      ...(imageShape && { imageShape, inputs, reconstructions, decode }),
      ...(imageShape && samples && { samples }),
      ...(trainHistory && { history: { train: trainHistory, ...(validation && { validation }) } }),
      ...(klPerDim && { klPerDim }),
    };
    const sections = latentReportSections(data);
    if (model instanceof Pca) {
      const { cumulativeExplainedVariance } = await pcaMetrics(model);
      sections.push({
        heading: 'Explained variance',
        text: `${model.nComponents} components explain ${(100 * cumulativeExplainedVariance).toFixed(1)}% of the variance.`,
        plot: screePlot({ variances: model.explainedVariance, title: 'Explained variance per component' }),
      });
    }
    const result = await writeReport(out, {
      title: `latentlab report: ${info.model} on ${info.dataset}`,
      sections,
      writeFile: (file, bytes) => writeFileAtomic(file, bytes, 'latentlab report'),
    });
    for (const e of result.errors) io.stderr(`latentlab report: plot '${e.heading}' not drawn: ${e.message}\n`);
    io.stdout(`${result.html}\n`);
    return result.errors.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    x?.dispose();
    model.dispose();
  }
});

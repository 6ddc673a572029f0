/// <reference types="node" />
import { availableParallelism } from 'node:os';
import { createDataset, type Dataset } from '@latentlab/data';
import { Autoencoder, type BatchLog, Vae } from '@latentlab/models';
import { trainInWorkers } from '@latentlab/models/node';

/** One measured candidate of {@link chooseWorkers}: its worker count and training rate. */
export interface WorkerRate {
  workers: number;
  samplesPerSecond: number;
}

/** What `--workers auto` chose, and why. */
export interface WorkerChoice {
  workers: number;
  /** The candidates measured, in order ([] when the rule chose without measuring). */
  rates: WorkerRate[];
  /** Why, in words (printed on stderr). */
  reason: string;
}

/** Options of {@link chooseWorkers}. */
export interface ChooseWorkersOptions {
  batchSize: number;
  /** Steps per calibration epoch (default 12); 3 epochs are run per candidate, the first one warms up. */
  steps?: number;
  /** The largest count tried (default min(8, the CPUs)). */
  maxWorkers?: number;
}

/**
 * `--workers auto`: the worker count that trains fastest on this machine, now, measured. Candidates 1 (`fit` on
 * the calling thread, what `--workers 1` runs), then 2, 4, 8 (`trainInWorkers`) up to `maxWorkers`, each trained
 * for 3 epochs of `steps` batches of the first rows of `data` on a throwaway copy of the model (same
 * architecture, same batch size); its rate is the batch size over the median time of a step in epochs 2–3
 * (epoch 1 warms up: wasm compilation, thread start-up). Doubling stops at the first count not faster than the
 * best so far, and the fastest count wins, so the choice is never a count measured slower than one worker.
 *
 * Without measuring: 1 worker when there is one CPU, or when the data holds fewer than 3·`steps` batches (a run
 * that short gains less than the ≈ 1 s that starting workers costs).
 *
 * Measured here (BENCHMARKS.md, "latentlab train as users run it"): on 2 idle cores the reference VAE trains
 * ≈ 1.2–1.3× faster on 2 workers, while on the same cores shared with other jobs 2 workers can be slower than 1
 * (every step waits for the slower thread twice), so a fixed rule would be wrong one way or the other.
 *
 * @example
 * const { workers, reason } = await chooseWorkers(vae, mnist.train, { batchSize: 128 });
 * // workers auto: 1 worker 4610 samples/s, 2 workers 5890 samples/s → 2
 */
export async function chooseWorkers(
  model: Vae | Autoencoder,
  data: Dataset,
  options: ChooseWorkersOptions,
): Promise<WorkerChoice> {
  const { batchSize, steps = 12, maxWorkers = Math.min(8, availableParallelism()) } = options;
  if (maxWorkers < 2) return { workers: 1, rates: [], reason: 'one CPU' };
  const rows = batchSize * steps;
  const n = data.shape[0]!;
  if (n < 3 * rows) return { workers: 1, rates: [], reason: `fewer than ${3 * steps} batches per epoch` };
  const d = data.shape.slice(1).reduce((a, b) => a * b, 1);
  const sample = createDataset({
    name: `${data.name}-calibration`,
    x: data.x.subarray(0, rows * d),
    shape: [rows, ...data.shape.slice(1)],
  });
  const rates: WorkerRate[] = [];
  let best: WorkerRate | null = null;
  for (let workers = 1; workers <= maxWorkers; workers *= 2) {
    const rate = { workers, samplesPerSecond: await measure(model, sample, batchSize, workers) };
    rates.push(rate);
    if (best && rate.samplesPerSecond <= best.samplesPerSecond) break;
    best = rate;
  }
  const shown = rates.map((r) => `${r.workers} worker${r.workers > 1 ? 's' : ''} ${r.samplesPerSecond.toFixed(0)}`);
  return { workers: best!.workers, rates, reason: `${shown.join(', ')} samples/s` };
}

/**
 * Rows per second of a throwaway copy of `model` trained on `sample` with `workers` threads for 3 epochs: the batch
 * size over the median time between two batch ends of the same epoch, in epochs 2–3 (epoch 1 warms up: wasm
 * compilation, thread start-up). Per step, not per epoch: an epoch's end (the optimizer's state synced, θ copied
 * back to the model) weighs on a calibration epoch of 12 steps, not on a real one of hundreds, and a median leaves
 * out the odd step that other jobs on the machine slowed down.
 */
async function measure(model: Vae | Autoencoder, sample: Dataset, batchSize: number, workers: number) {
  const copy = model instanceof Vae ? new Vae(model.config) : new Autoencoder(model.config);
  const ends: { epoch: number; at: number }[] = [];
  try {
    const onBatchEnd = (log: BatchLog) => void ends.push({ epoch: log.epoch, at: performance.now() });
    const options = { epochs: 3, batchSize, shuffle: false, onBatchEnd };
    if (workers === 1) await copy.fit(sample, options);
    else await trainInWorkers(copy, sample, { ...options, workers });
  } finally {
    copy.dispose();
  }
  const intervals: number[] = [];
  for (let i = 1; i < ends.length; i++) {
    const [a, b] = [ends[i - 1]!, ends[i]!];
    if (b.epoch > 0 && b.epoch === a.epoch) intervals.push(b.at - a.at);
  }
  intervals.sort((x, y) => x - y);
  const ms = intervals[intervals.length >> 1] ?? Number.POSITIVE_INFINITY;
  return (batchSize * 1000) / Math.max(ms, 1e-6);
}

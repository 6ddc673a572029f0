/// <reference types="node" />
import { availableParallelism } from 'node:os';
import type { Dataset } from '@latentlab/data';
import type { Autoencoder, TrainOptions, TrainResult, Vae } from '@latentlab/models';
import { TrainingWorkers, trainInWorkers, type WorkerBatchLog } from '@latentlab/models/node';

/** One measured count of {@link trainWithAutoWorkers}: its worker count and training rate. */
export interface WorkerRate {
  workers: number;
  samplesPerSecond: number;
}

/** What `--workers auto` chose, and why. */
export interface WorkerChoice {
  workers: number;
  /** The counts measured, in order ([] when the rule chose without measuring). */
  rates: WorkerRate[];
  /** Why, in words (printed on stderr). */
  reason: string;
}

/** The next move of `--workers auto` after the rates measured so far: a count to try, or the one to keep. */
export type WorkerLadderStep = { try: number } | { keep: number };

/** Options of {@link trainWithAutoWorkers}. */
export interface AutoWorkersOptions {
  /** The largest count tried (default: the given threads', else min(8, the CPUs)). */
  maxWorkers?: number;
  /**
   * Steps of a count before its first rated ones: the threads building their models, wasm compiling, the JIT
   * warming up, the step logs of the count before still arriving (≥ 1, default 20; a count rated before waits 3).
   */
  warmup?: number;
  /**
   * Steps rated per count, in two windows of half as many (default 60: with 30 in one window, a check by hand once
   * rated 2 workers at 5 553 samples/s against 6 069 for one, on a machine where `--workers 2` trained 20 % faster
   * than 1; packages/cli/BENCHMARKS.md).
   */
  window?: number;
  /** A run with fewer steps left trains on 1 worker (`fit`) without measuring (default {@link AUTO_MIN_STEPS}). */
  minSteps?: number;
  /** Called once, when the count is chosen (the CLI says it on stderr). */
  onChoice?: (choice: WorkerChoice) => void;
  /**
   * The run's threads, started beforehand (e.g. while the data loads), at least 2; the counts tried are at most
   * theirs. Without them, `maxWorkers` threads are started when the run starts. Ended either way.
   */
  threads?: TrainingWorkers;
}

/** Steps before a count's window when it was rated before (its threads and kernels warm; its logs arriving). */
const SETTLE = 3;

/** Below this many steps, `--workers auto` trains on 1 worker without measuring: starting threads costs ≈ 1 s. */
export const AUTO_MIN_STEPS = 300;

/** The training options of {@link trainWithAutoWorkers}: `fit`'s, with the epochs and the batch size given. */
export type AutoTrainOptions = Partial<TrainOptions> & { epochs: number; batchSize: number };

/**
 * The worker-count ladder of `--workers auto`, from the rates measured so far (in order: 1, 2, 4, ...): first
 * try 1; after each count, keep the best earlier count if this one was not faster, else try twice as many
 * (up to `maxWorkers`), else keep this one. A count measured slower than one already measured is never kept.
 *
 * @example
 * nextWorkers([{ workers: 1, samplesPerSecond: 5000 }], 2); // { try: 2 }
 * nextWorkers([{ workers: 1, samplesPerSecond: 5000 }, { workers: 2, samplesPerSecond: 6000 }], 2); // { keep: 2 }
 */
export function nextWorkers(rates: readonly WorkerRate[], maxWorkers: number): WorkerLadderStep {
  const last = rates[rates.length - 1];
  if (!last) return { try: 1 };
  const earlier = rates
    .slice(0, -1)
    .reduce<WorkerRate | null>((a, b) => (a && a.samplesPerSecond >= b.samplesPerSecond ? a : b), null);
  if (earlier && last.samplesPerSecond <= earlier.samplesPerSecond) return { keep: earlier.workers };
  return last.workers * 2 <= maxWorkers ? { try: last.workers * 2 } : { keep: last.workers };
}

/**
 * Trains `model` as `trainInWorkers` would, on the worker count that trains fastest on this machine now, measured
 * on the run itself: `--workers auto`.
 *
 * The run is one `trainInWorkers` run on `maxWorkers` threads, of which the first k compute each step
 * (`TrainingWorkers.computing`; the others wait), so changing k starts no thread and copies nothing: it applies
 * from the next step. It starts with k = 1. A count is rated over two windows of `window` / 2 steps (after
 * `warmup` steps the first time, 3 later), by the batch size over the mean time between two steps of a window:
 * first 1 alone; then each count that {@link nextWorkers} tries, c, in windows alternating with the best count so
 * far, b (c, b, c after b's last window), so that a host that slows down or speeds up meanwhile weighs on both
 * alike. After each such round, `nextWorkers` says what follows: the next count to try, or the count to keep for
 * the rest of the run. Every step measured is a step of the run, the run is the one `fit` makes up to float32
 * rounding, and what measuring costs is the slower counts' steps. On 2 CPUs: 1 worker for 20 + 30 steps, 2 for
 * 20 + 30, 1 for 3 + 30, 2 for 3 + 30, then the faster.
 *
 * Why measure: on 2 idle cores 2 workers train the reference VAE ≈ 1.2× faster than 1, while on cores shared
 * with other jobs they can be slower (every step waits for the slower thread twice). Why in the run: a copy
 * trained apart for a few seconds rated the counts at another moment than the run's, with thread start-up and
 * JIT warm-up in its few steps, and cost ≈ 5 s a command (packages/cli/BENCHMARKS.md).
 *
 * Without measuring, 1 worker (`fit` on the calling thread, the given threads ended): on one CPU, or when fewer
 * than `minSteps` steps are left (starting threads costs ≈ 1 s, what ≈ 300 steps of the reference VAE gain on 2
 * workers).
 *
 * @example
 * const { result, choice } = await trainWithAutoWorkers(vae, mnist, { epochs: 1, batchSize: 128 });
 * // choice.reason: '1 worker 4610, 2 workers 5890 samples/s'; choice.workers: 2
 */
export async function trainWithAutoWorkers(
  model: Vae | Autoencoder,
  data: Dataset,
  options: AutoTrainOptions,
  auto: AutoWorkersOptions = {},
): Promise<{ result: TrainResult; choice: WorkerChoice }> {
  const given = auto.threads ?? null;
  const top = Math.min(
    auto.maxWorkers ?? given?.workers ?? Math.min(8, availableParallelism()),
    given?.workers ?? Number.POSITIVE_INFINITY,
  );
  const { window = 60, minSteps = AUTO_MIN_STEPS } = auto;
  const warmup = Math.max(1, auto.warmup ?? 20); // the first step's start is not seen: its end starts a window
  let choice: WorkerChoice | null = null;
  const choose = (workers: number, rates: WorkerRate[], reason: string) => {
    choice = { workers, rates: [...rates], reason };
    auto.onChoice?.(choice);
    return choice;
  };
  if (top < 2 || stepsLeft(data, options) < minSteps) {
    await given?.close();
    const reason = top < 2 ? 'one CPU' : `a run of fewer than ${minSteps} steps`;
    const keep = choose(1, [], reason);
    return { result: await model.fit(data, options), choice: keep };
  }
  const threads = given ?? new TrainingWorkers({ workers: top });
  // Each count is rated over two windows of `perWindow` step gaps, alternating with the best count so far (B A B
  // after A's window), so that a host that slows down or speeds up meanwhile weighs on both counts alike.
  const perWindow = Math.max(1, Math.round(window / 2));
  const tried = [1];
  const ends = new Map<number, StepEnd[]>([[1, []]]);
  const rates = (): WorkerRate[] =>
    tried.map((workers) => ({ workers, samplesPerSecond: rateOf(ends.get(workers)!, options.batchSize) }));
  const said = (measured: WorkerRate[]) =>
    `${measured.map((r) => `${r.workers} worker${r.workers > 1 ? 's' : ''} ${r.samplesPerSecond.toFixed(0)}`).join(', ')} samples/s`;
  // The count being rated, the counts to rate after it, and where its current window stands.
  let trying = 1;
  let queue: number[] = [];
  const warm = new Set<number>(); // counts rated before: their threads and kernels are warm (SETTLE steps)
  let [seen, inWindow, stretch, lastEpoch] = [0, 0, 0, -1];
  threads.computing = trying;
  const onBatchEnd = async (log: WorkerBatchLog) => {
    const at = performance.now();
    await options.onBatchEnd?.(log);
    // Steps of an earlier count (their logs may arrive after the change) are not this count's; steps the workers
    // took after the caller stopped the run are not rated.
    if (choice || options.signal?.aborted || log.workers !== trying) return;
    if (++seen < (warm.has(trying) ? SETTLE : warmup)) return;
    if (inWindow === 0 || log.epoch !== lastEpoch) stretch++; // no gap across a window's start or an epoch's end
    lastEpoch = log.epoch;
    ends.get(trying)!.push({ stretch, at });
    if (++inWindow <= perWindow) return;
    warm.add(trying);
    if (queue.length === 0) {
      const measured = rates();
      const next = nextWorkers(measured, top);
      if ('keep' in next) {
        threads.computing = next.keep;
        choose(next.keep, measured, said(measured));
        return;
      }
      const best = measured.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a)).workers;
      tried.push(next.try);
      ends.set(next.try, []);
      queue = [next.try, best, next.try];
    }
    [trying, seen, inWindow] = [queue.shift()!, 0, 0];
    threads.computing = trying;
  };
  const result = await trainInWorkers(model, data, { ...options, workers: threads, onBatchEnd });
  if (choice) return { result, choice };
  const why = `the run ${options.signal?.aborted ? 'was stopped' : 'ended'} while measuring`;
  const measured = rates().filter((r) => r.samplesPerSecond > 0);
  return { result, choice: choose(trying, measured, measured.length > 0 ? `${said(measured)}; ${why}` : why) };
}

/** The steps of the run still to train (its training rows: those before a `validationSplit`). */
function stepsLeft(data: Dataset, o: AutoTrainOptions): number {
  const n = data.shape[0]!;
  const rows = o.validationSplit === undefined ? n : Math.floor(n * (1 - o.validationSplit));
  const perEpoch = Math.ceil(rows / o.batchSize);
  const done = (o.initialState?.epoch ?? 0) * perEpoch + (o.initialState?.batch ?? 0);
  return o.epochs * perEpoch - done;
}

/** A step's end as `--workers auto` sees it: when, and in which stretch of consecutive steps of one count. */
export interface StepEnd {
  /** Ends of one stretch are consecutive steps (one window of one count, within one epoch). */
  stretch: number;
  at: number;
}

/**
 * Rows per second over steps that ended at `ends`: the batch size over the mean time between two consecutive ends of
 * the same stretch (a gap across an epoch's end holds its validation and checkpoint; one across two windows, the
 * steps of another count). A mean, not a median: the workers' step ends reach the calling thread as messages,
 * sometimes two at once, so single gaps are noisy but their sum is not.
 */
export function rateOf(ends: readonly StepEnd[], batchSize: number): number {
  let [sum, count] = [0, 0];
  for (let i = 1; i < ends.length; i++) {
    if (ends[i]!.stretch !== ends[i - 1]!.stretch) continue;
    sum += ends[i]!.at - ends[i - 1]!.at;
    count++;
  }
  return count === 0 ? 0 : (batchSize * count * 1000) / Math.max(sum, 1e-6);
}

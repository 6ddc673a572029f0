/// <reference types="node" />
import { availableParallelism } from 'node:os';
import type { Dataset } from '@latentlab/data';
import type { Autoencoder, BatchLog, TrainOptions, TrainResult, Vae } from '@latentlab/models';
import { TrainingWorkers, trainInWorkers } from '@latentlab/models/node';

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
  /** The largest count tried (default min(8, the CPUs)). */
  maxWorkers?: number;
  /** Steps of a turn before its rated ones: threads starting, wasm compiling, the JIT warming up (≥ 1, default 20). */
  warmup?: number;
  /**
   * Steps rated per turn (default 60: with 30, a check by hand once rated 2 workers at 5 553 samples/s against
   * 6 069 for one, on a machine where `--workers 2` trained 20 % faster than 1; packages/cli/BENCHMARKS.md).
   */
  window?: number;
  /** A run with fewer steps left trains on 1 worker without measuring (default 300). */
  minSteps?: number;
  /** Called once, when the count is chosen (the CLI says it on stderr). */
  onChoice?: (choice: WorkerChoice) => void;
  /**
   * Threads started beforehand (e.g. while the data loads) for the first count tried after 1, used when that
   * count is tried and ended otherwise. Without them, they are started when `fit`'s turn starts.
   */
  threads?: TrainingWorkers;
}

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
 * Trains `model` as `fit` (1 worker, the calling thread) or `trainInWorkers` would, on the worker count that
 * trains fastest on this machine now, measured on the run itself: `--workers auto`.
 *
 * The run goes in turns, each resumed from where the last one stopped (`TrainResult.state`, the model's
 * optimizer carried on), so every step measured is a step of the run and the run is the one `fit` makes, up to
 * float32 rounding. A turn on count c trains `warmup` steps, then rates c over the next `window` (the batch size
 * over the mean time between two steps of the same epoch), and {@link nextWorkers} says what follows: c goes on
 * to the end of the run when it is the count to keep, else the turn stops there and the next count is tried (or
 * the kept one takes over). The threads of the next count to try start loading ({@link TrainingWorkers}, one after
 * another, on a core the turn leaves free) when the turn before it starts, so the switch does not wait for them;
 * that turn's window opens once they have loaded, so their start-up is not counted against it. On 2 CPUs: 80 steps
 * of `fit` (more while the 2 threads load), then 2 workers, who go on when faster, or hand back to `fit` after
 * their 80 steps. No copy of the model is trained; what measuring costs is the slower count's steps and, when one
 * worker is kept, the CPU time the threads took to load.
 *
 * Why measure: on 2 idle cores 2 workers train the reference VAE ≈ 1.2× faster than 1, while on cores shared
 * with other jobs they can be slower (every step waits for the slower thread twice). Why in the run: a copy
 * trained apart for a few seconds rated the counts at another moment than the run's, with thread start-up and
 * JIT warm-up in its few steps, and cost ≈ 5 s a command (packages/cli/BENCHMARKS.md).
 *
 * Without measuring, 1 worker: on one CPU, or when fewer than `minSteps` steps are left (starting threads costs
 * ≈ 1 s, what ≈ 300 steps of the reference VAE gain on 2 workers).
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
  const { maxWorkers = Math.min(8, availableParallelism()), window = 60, minSteps = 300 } = auto;
  const warmup = Math.max(1, auto.warmup ?? 20); // the first step's start is not seen: its end starts a window
  let choice: WorkerChoice | null = null;
  const choose = (workers: number, rates: WorkerRate[], reason: string) => {
    choice = { workers, rates: [...rates], reason };
    auto.onChoice?.(choice);
    return choice;
  };
  const left = stepsLeft(data, options);
  if (maxWorkers < 2 || left < minSteps) {
    await auto.threads?.close();
    const reason = maxWorkers < 2 ? 'one CPU' : `a run of fewer than ${minSteps} steps`;
    const keep = choose(1, [], reason);
    return { result: await model.fit(data, options), choice: keep };
  }
  const rates: WorkerRate[] = [];
  const shown = () =>
    rates.map((r) => `${r.workers} worker${r.workers > 1 ? 's' : ''} ${r.samplesPerSecond.toFixed(0)}`);
  const said = () => `${shown().join(', ')} samples/s`;
  let initialState = options.initialState;
  let step = nextWorkers(rates, maxWorkers);
  // Threads for a count not tried yet: given, or started when the turn before that count's starts (turn() opens
  // that turn's window once they have loaded, so their start-up is not rated); ended unless that count is tried.
  let loading: TrainingWorkers | null = auto.threads ?? null;
  try {
    for (;;) {
      const workers = 'try' in step ? step.try : step.keep;
      if ('keep' in step) choose(workers, rates, said());
      let threads: TrainingWorkers | null = null;
      if (loading?.workers === workers) [threads, loading] = [loading, null];
      if ('try' in step && !loading && workers * 2 <= maxWorkers)
        loading = new TrainingWorkers({ workers: workers * 2, sequential: true });
      const rated = (samplesPerSecond: number) => {
        rates.push({ workers, samplesPerSecond });
        step = nextWorkers(rates, maxWorkers);
        const goOn = 'keep' in step && step.keep === workers;
        if (goOn) choose(workers, rates, said());
        return goOn;
      };
      const result = await turn(
        model,
        data,
        { ...options, initialState },
        threads ?? workers,
        'try' in step ? { warmup, window, rated, loading } : null,
      );
      if (loading && !('try' in step && step.try === loading.workers)) {
        await loading.close();
        loading = null;
      }
      const stopped = result.stopReason === 'aborted' && !options.signal?.aborted;
      if (!stopped) {
        const why = `the run ${options.signal?.aborted ? 'was stopped' : 'ended'} while measuring`;
        return { result, choice: choice ?? choose(workers, rates, rates.length > 0 ? `${said()}; ${why}` : why) };
      }
      initialState = result.state;
    }
  } finally {
    await loading?.close();
  }
}

/** The steps of the run still to train (its training rows: those before a `validationSplit`). */
function stepsLeft(data: Dataset, o: AutoTrainOptions): number {
  const n = data.shape[0]!;
  const rows = o.validationSplit === undefined ? n : Math.floor(n * (1 - o.validationSplit));
  const perEpoch = Math.ceil(rows / o.batchSize);
  const done = (o.initialState?.epoch ?? 0) * perEpoch + (o.initialState?.batch ?? 0);
  return o.epochs * perEpoch - done;
}

/**
 * One turn: trains on `workers` (`fit` for 1; a count, or threads started for it) from `o.initialState`; with
 * `rating`, after `warmup` steps, and once the threads `loading` for the next count have loaded (or failed), it
 * times `window` more, calls `rated` with the rate and stops the turn (an abort of its own) unless `rated` says go
 * on. The caller's `signal` stops it too.
 */
async function turn(
  model: Vae | Autoencoder,
  data: Dataset,
  o: AutoTrainOptions,
  workers: number | TrainingWorkers,
  rating: {
    warmup: number;
    window: number;
    rated: (samplesPerSecond: number) => boolean;
    loading: TrainingWorkers | null;
  } | null,
): Promise<TrainResult> {
  // Stopped by the caller's signal, or by the rating (both polled before every step).
  let stop = false;
  const signal = {
    get aborted() {
      return stop || (o.signal?.aborted ?? false);
    },
  };
  let loading = rating?.loading ?? null;
  loading?.loaded().then(
    () => (loading = null),
    () => (loading = null),
  );
  let steps = 0;
  const ends: { epoch: number; at: number }[] = [];
  const onBatchEnd = async (log: BatchLog) => {
    await o.onBatchEnd?.(log);
    if (!rating || ends.length > rating.window) return;
    steps++;
    // The end of warm-up step `warmup` (or of the first step after the threads loaded) starts the window:
    // `window` gaps follow.
    if (ends.length === 0 && (steps < rating.warmup || loading)) return;
    ends.push({ epoch: log.epoch, at: performance.now() });
    if (ends.length === rating.window + 1) stop = !rating.rated(rateOf(ends, o.batchSize));
  };
  const options = { ...o, signal, onBatchEnd };
  if (workers === 1) return model.fit(data, options);
  return trainInWorkers(model, data, { ...options, workers });
}

/**
 * Rows per second over steps that ended at `ends`: the batch size over the mean time between two ends of the same
 * epoch (a gap across an epoch's end holds its validation and checkpoint). A mean, not a median: the workers' step
 * ends reach the calling thread as messages, sometimes two at once, so single gaps are noisy but their sum is not.
 */
export function rateOf(ends: readonly { epoch: number; at: number }[], batchSize: number): number {
  let [sum, count] = [0, 0];
  for (let i = 1; i < ends.length; i++) {
    if (ends[i]!.epoch !== ends[i - 1]!.epoch) continue;
    sum += ends[i]!.at - ends[i - 1]!.at;
    count++;
  }
  return count === 0 ? 0 : (batchSize * count * 1000) / Math.max(sum, 1e-6);
}

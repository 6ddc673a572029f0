// Running sums of a pass's batch losses, weighted by batch size, for the pass's means; and the pass's clock.
import type { LossSummary } from '../model-contract.js';
import type { TrainState } from './train-state.js';

/**
 * Sums `[total, reconstruction, kl?]` weighted by batch size; {@link Accumulator.summary} gives the means
 * Σ size_b·value_b / Σ size_b.
 *
 * @example
 * const acc = new Accumulator();
 * acc.add([2, 1.5, 0.5], 10, true);
 * acc.add([4, 3, 1], 30, true);
 * acc.summary(); // { loss: 3.5, reconstruction: 2.625, kl: 0.875 }
 */
export class Accumulator {
  n = 0;
  total = 0;
  reconstruction = 0;
  kl = 0;
  hasKl = false;
  /** When the pass started (`performance.now()`): now, or as many seconds ago as a resumed epoch had already run. */
  started = performance.now();
  /** Starts from the sums and the seconds of a partly done epoch. */
  static from(partial: TrainState['partial']): Accumulator {
    const acc = new Accumulator();
    if (partial) {
      acc.n = partial.rows;
      acc.total = partial.total;
      acc.reconstruction = partial.reconstruction;
      acc.kl = partial.kl; // hasKl is set again by the next add
      acc.started -= (partial.seconds ?? 0) * 1000;
    }
    return acc;
  }
  /** The seconds since the pass started (those of the epoch's earlier part included). */
  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }
  /** What a run stopped inside an epoch keeps in its state (`TrainState.partial`) to go on with the pass. */
  get sums(): NonNullable<TrainState['partial']> {
    return { rows: this.n, total: this.total, reconstruction: this.reconstruction, kl: this.kl, seconds: this.seconds };
  }
  add(values: ArrayLike<number>, size: number, hasKl: boolean): void {
    this.n += size;
    this.total += values[0]! * size;
    this.reconstruction += values[1]! * size;
    if (hasKl) this.kl += values[2]! * size;
    this.hasKl = hasKl;
  }
  summary(): LossSummary {
    return {
      loss: this.total / this.n,
      reconstruction: this.reconstruction / this.n,
      kl: this.hasKl ? this.kl / this.n : null,
    };
  }
}

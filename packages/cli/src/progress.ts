/// <reference types="node" />
import type { BatchLog, EpochLog } from '@latentlab/models';
import type { CliIo } from './io.js';

const formatSeconds = (s: number): string => {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`;
};

/**
 * A progress bar with ETA on stderr: redrawn in place (at most every 100 ms) on a terminal, one line per epoch
 * otherwise (logs stay readable). ETA = elapsed · (1 − p)/p over the fraction p done in this process.
 */
export class ProgressBar {
  readonly #io: CliIo;
  readonly #epochs: number;
  readonly #start = Date.now();
  #startFraction: number | null = null;
  #lastDraw = 0;
  #drawn = false;

  constructor(io: CliIo, epochs: number) {
    this.#io = io;
    this.#epochs = epochs;
  }

  /** Called after every step. */
  update(log: BatchLog): void {
    this.fraction(log.progress, `epoch ${log.epoch + 1}/${this.#epochs} loss ${log.loss.toFixed(3)}`);
  }

  /** Draws fraction p ∈ [0, 1] with a label (TTY only). */
  fraction(p: number, label: string): void {
    this.#startFraction ??= p;
    if (!this.#io.isTTY) return;
    const now = Date.now();
    if (now - this.#lastDraw < 100 && p < 1) return;
    this.#lastDraw = now;
    const width = 30;
    const filled = Math.round(width * Math.min(1, p));
    const done = p - this.#startFraction;
    const eta = done > 0 ? ((now - this.#start) / 1000) * ((1 - p) / done) : Number.NaN;
    const bar = `${'='.repeat(filled)}${' '.repeat(width - filled)}`;
    this.#io.stderr(`\r[${bar}] ${(100 * p).toFixed(1).padStart(5)}% ${label} ETA ${formatSeconds(eta)}  `);
    this.#drawn = true;
  }

  /** Called after every epoch (and its checkpoint). */
  epochDone(log: EpochLog): void {
    if (this.#drawn) this.#io.stderr('\n');
    this.#drawn = false;
    const kl = log.kl === null ? '' : ` kl ${log.kl.toFixed(3)}`;
    const val = log.validation === null ? '' : ` val_loss ${log.validation.loss.toFixed(4)}`;
    this.#io.stderr(
      `epoch ${log.epoch + 1}/${this.#epochs} loss ${log.loss.toFixed(4)} reconstruction ${log.reconstruction.toFixed(4)}${kl}${val} ` +
        `${log.samplesPerSecond.toFixed(0)} samples/s, checkpoint saved\n`,
    );
  }

  /** A line of its own on stderr (after the bar's line, which is then drawn anew below it). */
  note(line: string): void {
    this.finish();
    this.#io.stderr(`${line}\n`);
  }

  finish(): void {
    if (this.#drawn) this.#io.stderr('\n');
    this.#drawn = false;
  }
}

/// <reference types="node" />
import { ResourceError } from './errors.js';

/** The default memory limit of one command, in MiB (override with `LATENTLAB_MAX_MEMORY_MB`). */
export const DEFAULT_MEMORY_LIMIT_MB = 2048;

/** The memory limit in bytes: `LATENTLAB_MAX_MEMORY_MB` (a number > 0) or {@link DEFAULT_MEMORY_LIMIT_MB}. */
export function memoryLimitBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.LATENTLAB_MAX_MEMORY_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MEMORY_LIMIT_MB) * 2 ** 20;
}

const gib = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * Refuses, before anything is allocated, a request whose float32 working set would exceed the memory limit:
 * estimate = rows × features × 4 bytes × factor, where the factor counts the copies alive at once (e.g. a batch's
 * activations, gradients and Adam moments). Throws a {@link ResourceError} (exit code 3) stating the estimate.
 *
 * @example
 * checkMemory('sample -n', 2_000_000, 784, 3); // throws: about 17.5 GiB (2000000 rows × 784 features × 4 B × 3)
 */
export function checkMemory(
  what: string,
  rows: number,
  features: number,
  factor: number,
  limit = memoryLimitBytes(),
): void {
  checkBytes(what, rows * features * 4 * factor, `${rows} rows × ${features} features × 4 B × ${factor}`, limit);
}

/** Throws a {@link ResourceError} when an estimate of `bytes` (computed as `formula`, quoted) exceeds the limit. */
export function checkBytes(what: string, bytes: number, formula: string, limit = memoryLimitBytes()): void {
  if (bytes > limit) {
    throw new ResourceError(
      what,
      `at most ${gib(limit)} (LATENTLAB_MAX_MEMORY_MB=${Math.round(limit / 2 ** 20)})`,
      `about ${gib(bytes)} (${formula})`,
    );
  }
}

/**
 * The parameters of a dense network `d → hidden… → latent` (weights and biases, encoder and decoder, a VAE's
 * two heads counted as one of twice the width): what `--hidden` and `--latent` make the model allocate.
 */
export function denseParameters(d: number, hidden: readonly number[], latent: number): number {
  const widths = [d, ...hidden, 2 * latent];
  let n = 0;
  for (let i = 1; i < widths.length; i++) n += (widths[i - 1]! + 1) * widths[i]!;
  const back = [latent, ...[...hidden].reverse(), d];
  for (let i = 1; i < back.length; i++) n += (back[i - 1]! + 1) * back[i]!;
  return n;
}

/**
 * Refuses architectures and batches over the memory limit (see `memory.ts`): the parameters × 4 B × 4 (weights,
 * gradients, two Adam moments), and a batch's rows × its widest layer × 4 B × 8 (activations and their gradients).
 */
export function checkTrainingMemory(
  rows: number,
  d: number,
  hidden: number[],
  latent: number,
  batchSize: number,
): void {
  const params = denseParameters(d, hidden, latent);
  checkBytes('--hidden/--latent', params * 4 * 4, `${params} parameters × 4 B × 4`);
  checkMemory('--batch-size', Math.min(batchSize, rows), Math.max(d, ...hidden, 2 * latent), 8);
}

/**
 * Typed errors of `@latentlab/interop`. Like every Latentlab error they name the function that raised them, what
 * it expected and what it found; safetensors errors also name the tensor (or `header`) where the file went wrong.
 *
 * @example
 * const bytes = writeSafetensors({ mean: { shape: [2], values: [0.5, 1.5] } }).subarray(0, 70); // cut short
 * try {
 *   readSafetensors(bytes);
 * } catch (e) {
 *   if (e instanceof SafetensorsFormatError) console.log(e.tensor, e.expected, e.found);
 *   // header 8 + N ≤ 70 bytes 8 + N = 72: the header runs past the end of the file
 * }
 */
import { LatentlabError } from '@latentlab/core';

/**
 * A safetensors file that does not follow the format (or exceeds a documented limit): a header length out of
 * bounds, a header that is not a JSON object, an unknown dtype, a shape whose byte size differs from its
 * `data_offsets`, offsets outside the data section, overlapping or leaving gaps, a non-string `__metadata__`.
 */
export class SafetensorsFormatError extends LatentlabError {
  override name = 'SafetensorsFormatError';
  /** The tensor whose entry is wrong, `'header'` for the file's framing, `'__metadata__'` for the metadata. */
  readonly tensor: string;

  constructor(fn: string, tensor: string, message: string, expected: string, found: string) {
    super(fn, `${tensor === 'header' ? 'header' : `tensor '${tensor}'`}: ${message}`, expected, found);
    this.tensor = tensor;
  }
}

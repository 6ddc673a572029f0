/**
 * Typed errors of @latentlab/viz. Every error names the public function that raised it, what it expected and
 * what it found, so a bad call is fixed without reading the source — and a plot is never silently blank.
 */

/**
 * Base class of every error @latentlab/viz raises on purpose. The same shape as core's `LatentlabError` (fn,
 * expected, found, one message format), written again on purpose: viz depends on neither `@latentlab/core` nor
 * TensorFlow.js (core's peer), so it cannot extend the shared base; its subclasses below mirror core's and
 * data's the same way.
 */
export class VizError extends Error {
  override name = 'VizError';
  /** The public function that detected the problem, e.g. `latentScatter`. */
  readonly fn: string;
  /** What the function needed, in words. */
  readonly expected: string;
  /** What it got instead. */
  readonly found: string;

  constructor(fn: string, message: string, expected: string, found: string) {
    super(`Error in ${fn}: ${message}: expected ${expected}, found ${found}`);
    this.fn = fn;
    this.expected = expected;
    this.found = found;
  }
}

/** An array's length or an image's size does not fit the declared shape. */
export class VizShapeError extends VizError {
  override name = 'VizShapeError';
}

/** A coordinate or pixel value is NaN or ±Infinity where a finite number is required. */
export class VizNonFiniteError extends VizError {
  override name = 'VizNonFiniteError';
}

/** There is nothing to draw (no points, no images, no loss values). */
export class VizEmptyError extends VizError {
  override name = 'VizEmptyError';
}

/** An option is out of its domain (steps < 2, unknown method, negative variance, ...). */
export class VizValueError extends VizError {
  override name = 'VizValueError';
}

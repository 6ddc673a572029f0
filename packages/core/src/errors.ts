/**
 * Typed errors. Every error names the function that raised it, what it expected and what it found
 * (tfjs: `assertShapesMatch(a, b, 'Error in meanSquaredError: ')`), so a user can fix the call without
 * reading our source.
 */

/** Base class of every error Latentlab raises on purpose. */
export class LatentlabError extends Error {
  override name = 'LatentlabError';
  /** The public function that detected the problem, e.g. `gaussianKl`. */
  readonly fn: string;
  /** What the function needed, in words (`"[batch, 20]"`, `"a finite number > 0"`). */
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

/** A tensor's rank or shape does not fit the call. */
export class ShapeError extends LatentlabError {
  override name = 'ShapeError';
}

/** A scalar argument or option is out of its domain (non-finite, negative variance, K < 1, ...). */
export class ValueError extends LatentlabError {
  override name = 'ValueError';
}

/** A backend could not be found, registered or initialised. */
export class BackendError extends LatentlabError {
  override name = 'BackendError';
}

/** Formats a shape the way errors print it: `[128, 784]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

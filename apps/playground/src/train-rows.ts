/**
 * `?trainRows=N`: train image data sets (MNIST, Fashion-MNIST) on their first N training images instead of all
 * 60 000 — a shorter epoch for a slow device (and the e2e suite, which checks behaviour, not fit). The held-out
 * test split stays whole. N must be a whole number ≥ 100; anything else (or no parameter) means every image.
 *
 * @example
 * trainRowsWanted('?trainRows=10000'); // 10000
 * trainRowsWanted('?backend=wasm'); // null: all 60 000
 * trainRowsWanted('?trainRows=-5'); // null
 */
export function trainRowsWanted(search: string): number | null {
  const raw = new URLSearchParams(search).get('trainRows');
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= MIN_TRAIN_ROWS ? n : null;
}

/** The smallest `?trainRows` taken (fewer images would not make a data set worth a latent map). */
export const MIN_TRAIN_ROWS = 100;

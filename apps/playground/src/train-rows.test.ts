import { describe, expect, it } from 'vitest';
import { MIN_TRAIN_ROWS, trainRowsWanted } from './train-rows.js';

describe('trainRowsWanted', () => {
  it('reads a whole number ≥ MIN_TRAIN_ROWS from ?trainRows', () => {
    expect(trainRowsWanted('?trainRows=10000')).toBe(10_000);
    expect(trainRowsWanted(`?backend=wasm&trainRows=${MIN_TRAIN_ROWS}`)).toBe(MIN_TRAIN_ROWS);
  });

  it('means every image without the parameter or with a value that is not a whole number ≥ the minimum', () => {
    for (const search of ['', '?backend=wasm', '?trainRows=', '?trainRows=-5', '?trainRows=1e4', '?trainRows=2.5'])
      expect(trainRowsWanted(search)).toBeNull();
    expect(trainRowsWanted(`?trainRows=${MIN_TRAIN_ROWS - 1}`)).toBeNull();
  });
});

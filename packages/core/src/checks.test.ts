import { describe, expect, it } from 'vitest';
import { checkInteger, checkIntegerList, checkNumber, checkOneOf } from './checks.js';
import { LatentlabError, ValueError } from './errors.js';

class PackageError extends LatentlabError {
  override name = 'PackageError';
}

describe('value checks', () => {
  it('return what they accept', () => {
    expect(checkNumber('f', 'x', 0.5, { positive: true })).toBe(0.5);
    expect(checkInteger('f', 'n', 0, 0)).toBe(0);
    expect(checkOneOf('f', 'kind', 'b', ['a', 'b'] as const)).toBe('b');
    const list = [1, 2];
    const copy = checkIntegerList('f', 'units', list, 1, false);
    expect(copy).toEqual(list);
    expect(copy).not.toBe(list);
  });

  it('refuse with a ValueError saying what was expected and found', () => {
    expect(() => checkNumber('f', 'x', 0, { positive: true })).toThrow(
      /f: x is out of range: expected a finite number > 0, found 0/,
    );
    expect(() => checkNumber('f', 'x', Number.NaN)).toThrow(ValueError);
    expect(() => checkNumber('f', 'x', -1, { min: 0 })).toThrow(/≥ 0, found -1/);
    expect(() => checkInteger('f', 'n', 2.5)).toThrow(/an integer ≥ 1, found 2\.5/);
    expect(() => checkInteger('f', 'n', 2 ** 53)).toThrow(ValueError);
    expect(() => checkOneOf('f', 'kind', 'c', ['a', 'b'])).toThrow(/expected 'a' \| 'b', found "c"/);
    expect(() => checkIntegerList('f', 'units', [], 1, false)).toThrow(/a non-empty array of integers ≥ 1, found \[\]/);
    expect(checkIntegerList('f', 'units', [], 1, true)).toEqual([]);
  });

  it("raise a package's own error class when given one", () => {
    expect(() => checkInteger('batches', 'batchSize', 0, 1, PackageError)).toThrow(PackageError);
    expect(() => checkNumber('f', 'x', 'a', { error: PackageError })).toThrow(PackageError);
  });
});

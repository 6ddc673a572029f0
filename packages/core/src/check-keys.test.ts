import { describe, expect, it } from 'vitest';
import { checkKeys, closestName, editDistance } from './check-keys.js';
import { ValueError } from './errors.js';

/** Plain Levenshtein by recursion with memo (independent of the table in editDistance), plus adjacent swaps. */
function reference(a: string, b: string): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let v = Math.min(go(i - 1, j) + 1, go(i, j - 1) + 1, go(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, go(i - 2, j - 2) + 1);
    memo.set(key, v);
    return v;
  };
  return go(a.length, b.length);
}

describe('editDistance', () => {
  it('matches a memoised recursion on word pairs, and is symmetric', () => {
    const words = ['', 'a', 'epoch', 'epochs', 'ephocs', 'batchSize', 'batchsize', 'latentDim', 'latentDims', 'kitten'];
    for (const a of words) {
      for (const b of words) {
        expect(editDistance(a, b)).toBe(reference(a, b));
        expect(editDistance(a, b)).toBe(editDistance(b, a));
      }
    }
    expect(editDistance('ab', 'ba')).toBe(1); // one swap
  });
});

describe('closestName', () => {
  it('suggests the nearest candidate and nothing when all are far', () => {
    expect(closestName('epoch', ['epochs', 'batchSize', 'seed'])).toBe('epochs');
    expect(closestName('batchsize', ['epochs', 'batchSize'])).toBe('batchSize');
    expect(closestName('learning_rate', ['learningRate', 'epochs'])).toBe('learningRate');
    expect(closestName('qqqq', ['epochs', 'batchSize'])).toBeNull();
  });
});

describe('checkKeys', () => {
  const allowed = ['epochs', 'batchSize', 'onEpochEnd'] as const;

  it('accepts undefined, {} and known keys', () => {
    expect(() => checkKeys('f', 'options', undefined, allowed)).not.toThrow();
    expect(() => checkKeys('f', 'options', {}, allowed)).not.toThrow();
    expect(() => checkKeys('f', 'options', { epochs: 1, batchSize: 2 }, allowed)).not.toThrow();
  });

  it('rejects an unknown key, listing the valid ones and the closest', () => {
    const err = (() => {
      try {
        checkKeys('Vae.fit', 'options', { epoch: 1 }, allowed);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ValueError);
    const message = (err as Error).message;
    expect(message).toContain('Error in Vae.fit');
    expect(message).toContain("unknown key 'epoch'");
    expect(message).toContain("did you mean 'epochs'?");
    for (const k of allowed) expect(message).toContain(`'${k}'`);
  });

  it('uses a hint for keys of other libraries', () => {
    expect(() =>
      checkKeys('f', 'options', { callbacks: {} }, allowed, { hints: { callbacks: 'pass onEpochEnd directly' } }),
    ).toThrow(/unknown key 'callbacks' \(pass onEpochEnd directly\)/);
  });

  it.each([null, 3, 'x', [1]])('rejects a non-object %s', (v) => {
    expect(() => checkKeys('f', 'options', v, allowed)).toThrow(ValueError);
  });
});

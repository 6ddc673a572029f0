import { describe, expect, it } from 'vitest';
import { epochLabel } from './epoch-label.js';

describe('epochLabel', () => {
  it('counts the epoch under way, and the last one once done', () => {
    expect(epochLabel(0, 5, false)).toBe('epoch 1/5');
    expect(epochLabel(2, 5, false)).toBe('epoch 3/5');
    expect(epochLabel(5, 5, false)).toBe('epoch 5/5');
    expect(epochLabel(5, 5, true)).toBe('epoch 5/5');
    expect(epochLabel(0, 5, true)).toBe('epoch 1/5');
  });
});

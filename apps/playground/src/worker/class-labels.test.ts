import { describe, expect, it } from 'vitest';
import { classLabels } from './class-labels.js';

describe('classLabels', () => {
  it("writes each class's name at the median of its points, per axis", () => {
    const points = {
      x: Float32Array.of(0, 2, 100, 10, 30, 20),
      y: Float32Array.of(5, 1, 3, 50, 70, 60),
      group: Uint16Array.of(0, 0, 0, 1, 1, 1),
    };
    const [a, b] = classLabels(points, ['zero', 'one']);
    expect(a).toMatchObject({ type: 'text', text: 'zero', x: 2, y: 3 }); // medians of {0, 2, 100} and {5, 1, 3}
    expect(b).toMatchObject({ type: 'text', text: 'one', x: 20, y: 60 });
  });

  it('leaves out a class with no points shown', () => {
    const points = { x: Float32Array.of(1, 3), y: Float32Array.of(1, 3), group: Uint16Array.of(1, 1) };
    expect(classLabels(points, ['zero', 'one']).map((m) => [m.text, m.x])).toEqual([['one', 2]]);
  });
});

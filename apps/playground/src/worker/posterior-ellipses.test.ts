// The posterior ellipses on the cpu backend: centred on the pixel of μ(x), radii |a|·σ(x) from the model's own
// posterior, in the colour of each input's class, with no tensor left behind.
import '@tensorflow/tfjs-backend-cpu';
import { Vae } from '@latentlab/models';
import { memory, tensor2d } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { onePerClass, posteriorEllipses } from './posterior-ellipses.js';

describe('onePerClass', () => {
  it('takes the first row of each class, in class order, at most max', () => {
    expect(onePerClass([2, 0, 2, 1, 0])).toEqual([
      { row: 1, group: 0 },
      { row: 3, group: 1 },
      { row: 0, group: 2 },
    ]);
    expect(onePerClass([3, 2, 1, 0], 2)).toEqual([
      { row: 3, group: 0 },
      { row: 2, group: 1 },
    ]);
  });
});

describe('posteriorEllipses', () => {
  it("draws q(z|x)'s 1σ ellipse around the pixel of μ(x) with radii |a|·σ(x)", async () => {
    const d = 6;
    const vae = new Vae({ inputShape: [d], latentDim: 2, hiddenUnits: [5], seed: 3 });
    const x = Float32Array.from({ length: 4 * d }, (_, i) => (Math.sin(i * 1.3) + 1) / 2);
    const axes = { ax: 40, bx: 200, ay: -30, by: 150, latentDim: 2 };
    const picks = [
      { row: 2, group: 0 },
      { row: 0, group: 1 },
    ];
    const input = tensor2d(x, [4, d]);
    const post = vae.posterior(input);
    const [mu, logVar] = [post.mu.arraySync(), post.logVar.arraySync()];
    input.dispose();
    post.mu.dispose();
    post.logVar.dispose();
    const before = memory().numTensors;
    const marks = await posteriorEllipses(vae, x, d, picks, axes, ['#111111', '#222222']);
    expect(memory().numTensors).toBe(before);
    // Each ellipse is drawn twice: a white halo under the class colour.
    expect(marks.map((m) => m.stroke)).toEqual(['#ffffff', '#111111', '#ffffff', '#222222']);
    for (const [i, { row }] of picks.entries()) {
      expect(marks[2 * i]!.d).toBe(marks[2 * i + 1]!.d);
      // "M (cx − rx) cy A rx ry 0 1 0 (cx + rx) cy A …"
      const [left, cy, rx, ry, , , , right] = marks[2 * i + 1]!.d.match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
      const sigma = logVar[row]!.map((v) => Math.exp(v / 2));
      expect((left! + right!) / 2).toBeCloseTo(axes.ax * mu[row]![0]! + axes.bx, 4);
      expect(cy).toBeCloseTo(axes.ay * mu[row]![1]! + axes.by, 4);
      expect(rx).toBeCloseTo(Math.abs(axes.ax) * sigma[0]!, 4);
      expect(ry).toBeCloseTo(Math.abs(axes.ay) * sigma[1]!, 4);
    }
    expect(await posteriorEllipses(vae, x, d, [], axes, [])).toEqual([]);
    vae.dispose();
  });
});

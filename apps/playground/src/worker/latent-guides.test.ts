import { describe, expect, it } from 'vitest';
import { latentGuides } from './latent-guides.js';

describe('latentGuides', () => {
  const axes = { ax: 10, bx: 100, ay: -20, by: 50, latentDim: 2 };
  const wide = { x0: -1000, x1: 1000, y0: -1000, y1: 1000 };

  it('draws ‖z‖ = 1 and 2 around the pixel of z = 0, with radii a·r', () => {
    const [one, two] = latentGuides(axes, null, wide);
    // From (bx − |ax|·r, by) with radii (|ax|·r, |ay|·r).
    expect(one).toMatchObject({ type: 'path', d: expect.stringMatching(/^M 90 50 A 10 20 /) });
    expect(two).toMatchObject({ type: 'path', d: expect.stringMatching(/^M 80 50 A 20 40 /) });
    expect(latentGuides(axes, null, wide)).toHaveLength(3); // two circles and their label, no grid square
  });

  it('draws nothing outside the box: a circle that does not fit is left out', () => {
    // ‖z‖ = 2 spans x 80..120, y 10..90; a box of y 20..80 holds only ‖z‖ = 1 (y 30..70).
    const marks = latentGuides(axes, null, { x0: 0, x1: 200, y0: 20, y1: 80 });
    expect(marks.filter((m) => m.type === 'path')).toHaveLength(1);
    expect(marks.find((m) => m.type === 'text')).toMatchObject({ text: 'N(0, I): 1σ' });
  });

  it("outlines the decoded grid's square [−e, e]² in pixels", () => {
    const square = latentGuides(axes, 3, wide).at(-1)!;
    // x: 10·(±3) + 100 → 70..130; y: −20·(±3) + 50 → −10..110.
    expect(square).toMatchObject({
      type: 'path',
      d: 'M 70 -10 H 130 M 70 110 H 130 M 70 -10 V 110 M 130 -10 V 110',
    });
    // Clipped to y 0..100: the top and bottom sides fall outside; the left and right ones are cut to the box.
    const clipped = latentGuides(axes, 3, { x0: 0, x1: 200, y0: 0, y1: 100 }).at(-1)!;
    expect(clipped).toMatchObject({ type: 'path', d: 'M 70 0 V 100 M 130 0 V 100' });
  });
});

import { describe, expect, it } from 'vitest';
import { VizEmptyError, VizNonFiniteError, VizShapeError, VizValueError } from './errors.js';
import { composeTiles, readImages } from './images.js';

describe('readImages', () => {
  it('scales [0, 1] floats and passes [0, 255] bytes through', () => {
    const unit = readImages('t', new Float32Array([0, 0.5, 1, 0.25]), [2, 2]);
    expect(Array.from(unit.grey)).toEqual([0, Math.round(127.5), 255, Math.round(63.75)]);
    const bytes = readImages('t', new Uint8Array([0, 7, 255, 1]), [2, 2]);
    expect(Array.from(bytes.grey)).toEqual([0, 7, 255, 1]);
    const floatBytes = readImages('t', [0, 7, 255, 1], [1, 4]);
    expect(Array.from(floatBytes.grey)).toEqual([0, 7, 255, 1]);
    const rows = readImages('t', [new Float32Array([1, 0]), new Float32Array([0, 1])], [1, 2]);
    expect(rows.n).toBe(2);
  });

  it('throws typed errors naming expected and found', () => {
    const e = (() => {
      try {
        readImages('imageGrid', new Float32Array(27), [2, 2]);
      } catch (err) {
        return err as VizShapeError;
      }
    })();
    expect(e).toBeInstanceOf(VizShapeError);
    expect(e!.expected).toBe('a multiple of 2 × 2 = 4');
    expect(e!.found).toBe('27');
    expect(e!.message).toMatch(/^Error in imageGrid:/);
    expect(() => readImages('t', [new Float32Array(4), new Float32Array(3)], [2, 2])).toThrow(
      /image 1 has the wrong size/,
    );
    expect(() => readImages('t', new Float32Array(0), [2, 2])).toThrow(VizEmptyError);
    expect(() => readImages('t', new Float32Array([0, Number.NaN, 0, 0]), [2, 2])).toThrow(VizNonFiniteError);
    expect(() => readImages('t', new Float32Array([0, -3, 0, 0]), [2, 2])).toThrow(VizValueError);
    expect(() => readImages('t', new Float32Array([0, 2, 0, 0]), [2, 2], 'unit')).toThrow(/expected \[0, 1\]/);
  });
});

describe('composeTiles', () => {
  it('places tile t at row ⌊t/cols⌋, column t mod cols, with transparent gaps', () => {
    const imgs = readImages('t', new Uint8Array([10, 20, 30, 40, 50, 60]), [1, 2]); // 3 images of 1 × 2
    const rgba = composeTiles(imgs, { rows: 2, cols: 2, gap: 1 });
    const W = 2 * 2 + 1; // 5 × 3 pixels
    const at = (x: number, y: number) => Array.from(rgba.subarray((y * W + x) * 4, (y * W + x) * 4 + 4));
    expect(at(0, 0)).toEqual([10, 10, 10, 255]);
    expect(at(4, 0)).toEqual([40, 40, 40, 255]); // tile 1, second pixel
    expect(at(2, 0)).toEqual([0, 0, 0, 0]); // gap
    expect(at(1, 2)).toEqual([60, 60, 60, 255]); // tile 2
    expect(at(3, 2)).toEqual([235, 235, 235, 255]); // empty cell
  });
});

import { describe, expect, it } from 'vitest';
import { concatBytes } from './concat-bytes.js';
import { seededUniforms } from './testing/seeded-uniforms.js';

describe('concatBytes', () => {
  it("joins chunks of every size (empty ones too) exactly as Node's Buffer.concat does", () => {
    const sizes = [0, 1, 7, 0, 300, 4096, 3];
    const chunks = sizes.map((n, i) => Uint8Array.from(seededUniforms(n, i + 1, 0, 256), Math.floor));
    const joined = concatBytes(chunks);
    expect(joined.byteLength).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(Buffer.from(joined).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('returns a new array (the chunks stay unchanged and unshared), and an empty one for no chunks', () => {
    const a = Uint8Array.of(1, 2);
    const joined = concatBytes([a]);
    joined[0] = 9;
    expect([...a]).toEqual([1, 2]);
    expect(concatBytes([])).toEqual(new Uint8Array(0));
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from './model-file-error.js';
import { parseRecipe } from './shipped-models.js';

const shipped = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../public/models/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('parseRecipe', () => {
  it("reads the shipped VAE's recipe: its eval test loss, commands and the weights' size and CRC-32", () => {
    const raw = shipped('vae.recipe.json') as { test: { loss: { loss: number; kl: number } }; commands: string[] };
    const info = parseRecipe('vae', raw);
    expect(info.testLoss).toBe(raw.test.loss.loss);
    expect(info.testKl).toBe(raw.test.loss.kl);
    expect(info.commands[0]).toMatch(/^latentlab train --model vae /);
    const weights = readFileSync(new URL('../../public/models/vae.weights.bin', import.meta.url));
    expect(info.weightBytes).toBe(weights.byteLength);
  });

  it('reads the training loss per epoch that `latentlab train` logged, and refuses an entry without a loss', () => {
    type Entry = { loss: number; reconstruction: number; kl: number | null };
    const vae = shipped('vae.recipe.json') as { epochs: number; trainHistory: Entry[] };
    const info = parseRecipe('vae', vae);
    expect(info.trainHistory).toHaveLength(vae.epochs);
    expect(info.trainHistory.map((e) => e.loss)).toEqual(vae.trainHistory.map((e) => e.loss));
    expect(info.trainHistory.map((e) => e.kl)).toEqual(vae.trainHistory.map((e) => e.kl));
    const ae = parseRecipe('ae', shipped('ae.recipe.json'));
    expect(ae.trainHistory.every((e) => e.kl === null && e.reconstruction === e.loss)).toBe(true);
    const base = { weightBytes: 8, weightCrc32: 1 };
    expect(parseRecipe('pca', base).trainHistory).toEqual([]);
    expect(() => parseRecipe('vae', { ...base, trainHistory: [{ loss: 1 }, { loss: 'x' }] })).toThrow(
      /trainHistory\[1\]\.loss is not a finite number/,
    );
    expect(() => parseRecipe('vae', { ...base, trainHistory: 'long' })).toThrow(ModelFileError);
    const long = parseRecipe('vae', { ...base, trainHistory: Array.from({ length: 5000 }, () => ({ loss: 1 })) });
    expect(long.trainHistory).toHaveLength(1000);
  });

  it("ships the Learn view's lesson: the AE's codes lie far outside N(0, I), the VAE's inside it", () => {
    // For codes ~ N(0, v·I) in 2-d, P(‖z‖ ≤ 2) = 1 − e^(−2/v): the share of them in the disc holding 86 % of the
    // prior's mass. Computed from each model's test-code variance per dimension (`latentlab eval`), the larger one.
    const inDisc = (name: 'ae' | 'vae') => {
      const v = Math.max(...(shipped(`${name}.recipe.json`) as { test: { codeVariance: number[] } }).test.codeVariance);
      return 1 - Math.exp(-2 / v);
    };
    // Decoding z ~ N(0, I) with the AE explores a region that held few of its training codes (the holes)…
    expect(inDisc('ae')).toBeLessThan(0.2);
    // …while the VAE's codes fill the prior's disc.
    expect(inDisc('vae')).toBeGreaterThan(0.5);
  });

  it('keeps only finite numbers and short strings of an untrusted recipe, and refuses one without a weight check', () => {
    const info = parseRecipe('pca', {
      commands: ['x'.repeat(10_000), 42],
      epochs: 'ten',
      test: { loss: { loss: Number.NaN }, reconstructionMse: 0.05 },
      weightBytes: 8,
      weightCrc32: 1,
    });
    expect(info.commands).toEqual(['x'.repeat(400)]);
    expect(info.epochs).toBeNull();
    expect(info.testLoss).toBeNull();
    expect(info.testReconstructionMse).toBe(0.05);
    expect(() => parseRecipe('ae', { test: {} })).toThrow(ModelFileError);
  });
});

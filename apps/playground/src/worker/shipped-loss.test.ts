import { readFileSync } from 'node:fs';
import type { PathMark, TextMark } from '@latentlab/viz';
import { describe, expect, it } from 'vitest';
import { shippedLossPlot } from './shipped-loss.js';
import { parseRecipe } from './shipped-models.js';

const recipe = (name: 'vae' | 'ae' | 'pca') =>
  parseRecipe(
    name,
    JSON.parse(readFileSync(new URL(`../../public/models/${name}.recipe.json`, import.meta.url), 'utf8')),
  );

describe('shippedLossPlot', () => {
  it("draws the shipped VAE's logged epochs (reconstruction, KL, total) with its test loss in the title", () => {
    const info = recipe('vae');
    const plot = shippedLossPlot(info)!;
    expect(plot.title).toBe(`VAE: training loss per epoch (shipped model; test loss ${info.testLoss!.toFixed(2)})`);
    const legend = plot.marks.filter((m): m is TextMark => m.type === 'text').map((m) => m.text);
    expect(legend).toEqual(expect.arrayContaining(['reconstruction (train)', 'KL (train)', 'total (train)']));
    // One line per term, each through one point per epoch.
    const lines = plot.marks.filter((m): m is PathMark => m.type === 'path' && /^M/.test(m.d) && !m.dash);
    const vertices = (d: string) => (d.match(/[ML]/g) ?? []).length;
    expect(lines.filter((l) => vertices(l.d) === info.trainHistory.length)).toHaveLength(3);
  });

  it("draws the autoencoder's reconstruction loss alone, and nothing for PCA (fitted in one pass)", () => {
    const plot = shippedLossPlot(recipe('ae'))!;
    const legend = plot.marks.filter((m): m is TextMark => m.type === 'text').map((m) => m.text);
    expect(legend).toContain('reconstruction (train)');
    expect(legend).not.toContain('KL (train)');
    expect(shippedLossPlot(recipe('pca'))).toBeUndefined();
  });
});

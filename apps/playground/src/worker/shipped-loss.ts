/**
 * The loss chart of a shipped model, which trained elsewhere (`latentlab train`, see its recipe): its training loss
 * per epoch as the CLI logged it, reconstruction and KL apart (total = reconstruction + β·KL), with the test loss
 * `latentlab eval` measured in the title. A model trained in the page draws its own curves per step instead.
 *
 * @example
 * const plot = shippedLossPlot(info); // info: a parsed recipe (parseRecipe); undefined when it logged no epochs
 */
import { lossCurves, type PlotSpec } from '@latentlab/viz';
import type { ShippedModelInfo } from '../protocol.js';

const LABEL: Record<ShippedModelInfo['name'], string> = {
  pca: 'PCA',
  ae: 'AE',
  vae: 'VAE',
  'vae-beta-0.5': 'VAE (β = 0.5)',
  'vae-beta-4': 'VAE (β = 4)',
};

export function shippedLossPlot(info: ShippedModelInfo): PlotSpec | undefined {
  const history = info.trainHistory;
  if (history.length === 0) return undefined;
  const hasKl = history.every((e) => e.kl !== null);
  const test = info.testLoss === null ? '' : `; test loss ${info.testLoss.toFixed(2)}`;
  return lossCurves({
    train: {
      reconstruction: history.map((e) => e.reconstruction ?? e.loss),
      ...(hasKl ? { kl: history.map((e) => e.kl!), total: history.map((e) => e.loss) } : {}),
    },
    title: `${LABEL[info.name]}: training loss per epoch (shipped model${test})`,
    xLabel: 'epoch',
    yLabel: 'loss per example',
    width: 780,
    height: 260,
  });
}

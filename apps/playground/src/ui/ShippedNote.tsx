import { MODEL_LABELS, type ShippedModelInfo } from '../protocol.js';

const KIND = { pca: 'pca', ae: 'deep-ae', vae: 'vae', 'vae-beta-0.5': 'vae', 'vae-beta-4': 'vae' } as const;

/**
 * The test metric of a shipped model as `latentlab eval` reports it: a VAE's negative ELBO in nats per digit (with
 * its reconstruction and KL terms), the autoencoder's Bernoulli reconstruction loss in nats per digit (the CLI
 * trains autoencoders on images with the VAE's likelihood), PCA's reconstruction MSE per pixel.
 */
export function testLossText(m: ShippedModelInfo): string {
  if (m.testLoss !== null && m.testKl !== null) {
    return `test loss ${m.testLoss.toFixed(2)} nats per digit (reconstruction ${m.testReconstruction?.toFixed(2)}, KL ${m.testKl.toFixed(2)})`;
  }
  if (m.testLoss !== null) return `test loss ${m.testLoss.toFixed(2)} nats per digit (Bernoulli reconstruction)`;
  return m.testReconstructionMse === null
    ? 'no test metrics'
    : `test MSE per pixel ${m.testReconstructionMse.toFixed(4)}`;
}

/**
 * Says that the figures come from a pretrained model served with the app (not trained here yet): how it was
 * trained (`latentlab train`, epochs, seed) and its loss on MNIST's 10 000 test digits (`latentlab eval`).
 */
export function ShippedNote({ models, testId }: { models: ShippedModelInfo[]; testId: string }) {
  return (
    <div className="hint shipped-note" data-testid={testId}>
      <p>
        Pretrained {models.length > 1 ? 'models' : 'model'}, served with the app: trained with our CLI on MNIST's 60 000
        training digits and evaluated on the 10 000 test digits they never saw. Press Train (or Compare) to replace{' '}
        {models.length > 1 ? 'them' : 'it'} with a model trained here.
      </p>
      <ul>
        {models.map((m) => (
          <li key={m.name} data-testid={`shipped-${m.name}`} data-test-loss={m.testLoss ?? ''}>
            <strong>{MODEL_LABELS[KIND[m.name]]}</strong>
            {m.epochs === null ? '' : ` (${m.epochs} epochs, seed ${m.seed})`}: {testLossText(m)} ·{' '}
            <code>{m.commands[0]}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

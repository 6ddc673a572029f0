import { useBackend } from '@latentlab/core';
import { datasetFromImages } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { Pca, Vae } from '@latentlab/models';

await useBackend('wasm'); // imports @tensorflow/tfjs-backend-wasm, or says how to install it
const mnist = datasetFromImages(await loadMnist({ split: 'test' }), 'mnist-test'); // 10 000 × 28 × 28 bytes
const pca = await new Pca({ nComponents: 2 }).fit(mnist); // bytes are read as x / 255 by every model
console.log(Array.from(pca.explainedVarianceRatio, (r) => r.toFixed(3)));
const vae = new Vae({ seed: 1 }); // 784-400-20, Bernoulli decoder: pytorch/examples vae/main.py
const { historyColumns } = await vae.fit(mnist, { epochs: 1, validationSplit: 0.2, seed: 1 });
console.log(historyColumns.val_loss.map((loss) => loss.toFixed(1))); // nats per image on the last 20 %, held out

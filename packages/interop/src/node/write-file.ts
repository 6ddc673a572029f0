import path from 'node:path';
import { writeFileAtomic } from '@latentlab/core/node';
import type { Autoencoder, Pca, Vae } from '@latentlab/models';
import { type ExportedModel, modelToSafetensors } from '../export/to-safetensors.js';

/**
 * Exports a model with `modelToSafetensors` and writes `file` (e.g. `vae.safetensors`) and its interop config
 * `vae.json` beside it, each atomically (`writeFileAtomic`: a temp file renamed over the target, never writing
 * through a link).
 * @example
 * import { Vae } from '@latentlab/models';
 * const vae = new Vae({ inputShape: [4], hiddenUnits: [3], latentDim: 2 });
 * await writeModelSafetensors(vae, 'vae.safetensors'); // + vae.json
 */
export async function writeModelSafetensors(
  model: Vae | Autoencoder | Pca,
  file: string,
): Promise<ExportedModel & { configFile: string }> {
  const exported = await modelToSafetensors(model);
  const configFile = path.join(path.dirname(file), `${path.basename(file).replace(/\.safetensors$/, '')}.json`);
  await writeFileAtomic(file, exported.safetensors, 'writeModelSafetensors');
  await writeFileAtomic(configFile, `${JSON.stringify(exported.config, null, 2)}\n`, 'writeModelSafetensors');
  return { ...exported, configFile };
}

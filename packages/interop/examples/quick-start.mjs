import { useBackend } from '@latentlab/core';
import { importSafetensors, modelToSafetensors, readSafetensors } from '@latentlab/interop';
import { Vae } from '@latentlab/models';

await useBackend('wasm'); // imports @tensorflow/tfjs-backend-wasm, or says how to install it
const vae = new Vae({ inputShape: [6], latentDim: 2, hiddenUnits: [4], seed: 1 });
const { safetensors } = await modelToSafetensors(vae); // PyTorch names: load_state_dict reads it as it is
const file = readSafetensors(safetensors);
console.log([...file.tensors.keys()].sort().join(' '));
const copy = importSafetensors(file); // the layout is detected: a Vae again, same config and weights
console.log(copy.config.latentDim, copy.weightNames.length === vae.weightNames.length);

// The VAE training step on a real GPU, side by side in one run (issue #16): tfjs-backend-webgpu in Node through
// Dawn's bindings (npm `webgpu`), plain tfjs ops + tf.train.adam against Latentlab's WebGPU fast path, at batch 128
// and 1024, plus PyTorch on CUDA when `python3 -c "import torch"` works. Prints one JSON line per figure.
// Bundled with its dependencies by build.mjs into out/ (run.mjs + node_modules/webgpu with dawn.node):
//   node packages/models/bench/gpu/out/run.mjs [--steps N] [--batches 128,1024]
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create, globals } from 'webgpu';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const STEPS = Number(arg('steps', '50'));
const BATCHES = arg('batches', '128,1024').split(',').map(Number);
const emit = (o: object) => console.log(JSON.stringify(o));

// WebGPU for tfjs: the spec's globals (GPUBufferUsage, ...) and navigator.gpu from Dawn.
Object.assign(globalThis, globals);
const gpu = create([]) as { requestAdapter(): Promise<{ info?: Record<string, string> } | null> };
const describe = (info: Record<string, string> | undefined) =>
  info && Object.fromEntries(['vendor', 'architecture', 'device', 'description'].map((k) => [k, info[k]]));
Object.defineProperty(globalThis, 'navigator', {
  value: { ...(globalThis as { navigator?: object }).navigator, gpu },
  configurable: true,
  writable: true,
});
const adapter = await gpu.requestAdapter();
if (!adapter) {
  emit({
    error: 'no adapter',
    detail: "Dawn's requestAdapter() returned null: no usable GPU (Vulkan) on this machine",
  });
  process.exit(2);
}
emit({ meta: true, node: process.version, adapter: describe(adapter.info) ?? null });

const tf = await import('@tensorflow/tfjs-core');
await import('../../src/register-gradients.js');
await import('@tensorflow/tfjs-backend-webgpu');
if (!(await tf.setBackend('webgpu'))) {
  emit({ error: 'tfjs could not start its webgpu backend' });
  process.exit(3);
}
const { kernelsPerStep, latentlabVaeStep, plainVaeStep, samplesPerSecond } = await import('./vae-steps.js');
const { setWebGpuFastPath } = await import('../../src/ops/webgpu/fast-path.js');

const paths = [
  { path: 'tfjs-webgpu plain ops + tf.train.adam', make: plainVaeStep, fast: false },
  { path: 'latentlab without its webgpu kernels', make: latentlabVaeStep, fast: false },
  { path: 'latentlab webgpu fast path', make: latentlabVaeStep, fast: true },
];
for (const { path, make, fast } of paths) {
  setWebGpuFastPath(fast);
  const { kernels, dispatches } = await kernelsPerStep(make, 128);
  emit({ path, figure: 'kernels per step', kernels: kernels.length, dispatches });
}
for (const batch of BATCHES) {
  for (const { path, make, fast } of paths) {
    setWebGpuFastPath(fast);
    const rate = await samplesPerSecond(make, batch, STEPS);
    emit({ path, figure: 'samples/s', batch, samplesPerSec: Math.round(rate), msPerStep: (1000 * batch) / rate });
  }
}
setWebGpuFastPath(true);

let torch = false;
try {
  execFileSync('python3', ['-c', 'import torch'], { stdio: 'ignore' });
  torch = true;
} catch {
  emit({ path: 'pytorch', skipped: 'python3 -c "import torch" failed' });
}
if (torch) {
  const r = spawnSync('python3', [join(here, 'vae_torch_gpu.py'), String(STEPS), ...BATCHES.map(String)], {
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) emit({ path: 'pytorch', error: `vae_torch_gpu.py exited with ${r.status}` });
}

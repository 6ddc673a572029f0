// Where the CPU time of a `latentlab train` step goes, by V8's sampling profiler: the reference VAE (784-400-20,
// batch 128, the CLI's FusedAdam) trains on MNIST rows on the wasm backend in this process, and the profile of
// epochs 2..3 (epoch 1 warms up) is summed by self time into what runs it: tfjs-wasm's compiled kernels (wasm),
// the JavaScript of tfjs-core (engine, tape, gradients), of tfjs-backend-wasm (kernel glue), of Latentlab's
// packages, Node's own, and the garbage collector. The wasm time is also split by tfjs-wasm kernel (the exported
// function each sample was called through, named from the binary's export section), and the top JavaScript
// functions are listed.
// Usage: node bench/step-cpu-profile.mjs  → one JSON line (ms per step).
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { referenceStep } from './reference-step.mjs';

const { data, vae, optimizer, steps } = await referenceStep();
await vae.fit(data, { epochs: 1, batchSize: 128, optimizer });

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const epochs = 2;
await vae.fit(data, { epochs, batchSize: 128, optimizer });
const { profile } = await session.post('Profiler.stop');
session.disconnect();

/** tfjs-wasm's exported functions (its kernels) by function index, from the SIMD binary Node loads. */
function wasmExports() {
  const file = fileURLToPath(
    new URL('tfjs-backend-wasm-simd.wasm', import.meta.resolve('@tensorflow/tfjs-backend-wasm')),
  );
  const b = readFileSync(file);
  let p = 8;
  const leb = () => {
    let r = 0;
    let shift = 0;
    let x;
    do {
      x = b[p++];
      r |= (x & 0x7f) << shift;
      shift += 7;
    } while (x & 0x80);
    return r >>> 0;
  };
  const skip = () => {
    p += leb();
  };
  const limits = () => {
    if (leb() & 1) leb();
    leb();
  };
  const names = new Map();
  while (p < b.length) {
    const section = b[p++];
    const end = leb() + p;
    if (section === 7) {
      for (let n = leb(); n > 0; n--) {
        const length = leb();
        const name = b.subarray(p, p + length).toString();
        p += length;
        const kind = b[p++];
        const index = leb();
        if (kind === 0) names.set(index, name);
      }
    } else if (section === 2) {
      // imports come first in the function index space, as V8's wasm-function[i] counts them; nothing to read
      for (let n = leb(); n > 0; n--) {
        skip();
        skip();
        const kind = b[p++];
        if (kind === 0) leb();
        else if (kind === 1) {
          p++;
          limits();
        } else if (kind === 2) limits();
        else p += 2;
      }
    }
    p = end;
  }
  return names;
}

/** What a profile node's code belongs to, from its script URL and name. */
function owner({ url, functionName }) {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'v8';
    return 'native';
  }
  if (url.startsWith('wasm://')) return 'wasm';
  if (url.includes('tfjs-backend-wasm')) return 'tfjs-backend-wasm js';
  if (url.includes('tfjs-core')) return 'tfjs-core js';
  if (url.includes('/packages/') || url.includes('@latentlab')) return 'latentlab js';
  if (url.startsWith('node:')) return 'node js';
  return 'other js';
}
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const exported = wasmExports();
/** The tfjs-wasm kernel a wasm sample ran in: its nearest exported caller (or itself). */
function kernelOf(id) {
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const { url, functionName } = byId.get(at).callFrame;
    if (!url.startsWith('wasm://')) break;
    const index = Number(/\[(\d+)\]/.exec(functionName)?.[1]);
    if (exported.has(index)) return exported.get(index);
  }
  return '(not through an export)';
}
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const perStep = (us) => Number((us / 1000 / (epochs * steps)).toFixed(3));
const groups = {};
const functions = {};
const kernels = {};
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id);
  const group = owner(callFrame);
  groups[group] = (groups[group] ?? 0) + us;
  if (group === 'wasm') {
    const kernel = kernelOf(id);
    kernels[kernel] = (kernels[kernel] ?? 0) + us;
  } else {
    const key = `${group}: ${callFrame.functionName || '(anonymous)'}`;
    functions[key] = (functions[key] ?? 0) + us;
  }
}
const total = Object.values(groups).reduce((a, b) => a + b, 0);
const ranked = (table, n) =>
  Object.entries(table)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => [name, perStep(us)]);
process.stdout.write(
  `${JSON.stringify({
    stepMs: perStep(total),
    byOwner: Object.fromEntries(Object.entries(groups).map(([g, us]) => [g, perStep(us)])),
    wasmByKernel: ranked(kernels, 15),
    topJs: ranked(functions, 15),
    steps: epochs * steps,
  })}\n`,
);

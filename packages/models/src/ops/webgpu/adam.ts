import { ValueError } from '@latentlab/core';
import {
  dispose,
  engine,
  getBackend,
  type KernelFunc,
  type NamedTensorMap,
  type Tensor,
  type TensorInfo,
  tensor,
  type Variable,
} from '@tensorflow/tfjs-core';
import { type AdamStepScalars, adamStepScalars } from '../adam-update.js';
import { FusedAdam } from '../fused-adam.js';
import { AdamBuffers, adamPipeline } from './adam-buffers.js';
import { bufferOf, type WebGpuBackend } from './backend.js';
import { ensureKernel } from './fast-path.js';

const ADAM = 'LatentlabAdam';
const WORKGROUP = 256;

type NamedTensor = { name: string; tensor: Tensor };

/** The attributes of one `LatentlabAdam` call: the optimizer's buffers, the variables' names and the step's scalars. */
interface AdamAttrs {
  buffers: AdamBuffers;
  names: string[];
  step: AdamStepScalars;
}

/**
 * inputs g0, w0, g1, w1, …: every gradient and weight of the parameter set → the new weights, in that order.
 * Gathers g and w into flat buffers (buffer copies), updates every element in one dispatch per contiguous run of
 * slots (one for a full parameter set), and copies the new weights into fresh output buffers (so tensors that
 * share a variable's old buffer, such as the trainer's last-good copies, are untouched). Submits at the end.
 */
const adamKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WebGpuBackend;
  const { buffers, names, step } = attrs as unknown as AdamAttrs;
  const gs = names.map((_, i) => inputs[`g${i}`] as TensorInfo);
  const ws = names.map((_, i) => inputs[`w${i}`] as TensorInfo);
  buffers.releaseRetired();
  buffers.ensure(
    b,
    names,
    ws.map((w) => w.shape.reduce((a, c) => a * c, 1)),
  );
  for (const t of [...gs, ...ws]) {
    // A float32 tensor cast from int32/bool keeps its i32 buffer in tfjs-webgpu: its bytes are no f32 values.
    if (b.tensorMap.get(t.dataId).dtype !== 'float32') throw new Error('LatentlabAdam: expected float32 buffers');
  }
  const gBuffers = gs.map((g) => bufferOf(b, g));
  const wBuffers = ws.map((w) => bufferOf(b, w));
  const outs = ws.map((w) => b.makeTensorInfo([...w.shape], 'float32'));
  const outBuffers = outs.map((o) => bufferOf(b, o));
  const slots = names.map((name) => buffers.slots.get(name)!);
  const n = buffers.n;
  const state = buffers.state!;
  b.ensureCommandEncoderReady();
  b.endComputePassEncoder();
  const encoder = b.commandEncoder;
  slots.forEach(({ offset, size }, i) => {
    encoder.copyBufferToBuffer(gBuffers[i]!, 0, buffers.grad!, 4 * offset, 4 * size);
    encoder.copyBufferToBuffer(wBuffers[i]!, 0, state, 4 * (2 * n + offset), 4 * size);
  });
  // Contiguous runs of slots: one dispatch each (one in all when every variable of the set has a gradient).
  const sorted = [...slots].sort((p, q) => p.offset - q.offset);
  const runs: Array<[number, number]> = [];
  for (const { offset, size } of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === offset) last[1] += size;
    else runs.push([offset, size]);
  }
  const pipeline = adamPipeline(b.device);
  const maxGroups = b.device.limits.maxComputeWorkgroupsPerDimension;
  runs.forEach(([start, count], r) => {
    const uniform = buffers.uniform(b.device, r);
    const params = new ArrayBuffer(32);
    new Uint32Array(params, 0, 4).set([start, count, n, 0]);
    new Float32Array(params, 16, 4).set([step.c1, step.c2, step.alpha, step.epsHat]);
    b.queue.writeBuffer(uniform, 0, new Uint8Array(params));
    const bindGroup = b.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: state } },
        { binding: 1, resource: { buffer: buffers.grad } },
        { binding: 2, resource: { buffer: uniform } },
      ],
    });
    const groups = Math.ceil(count / WORKGROUP);
    const x = Math.min(groups, maxGroups);
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, Math.ceil(groups / x), 1);
    pass.end();
  });
  slots.forEach(({ offset, size }, i) => {
    encoder.copyBufferToBuffer(state, 4 * (2 * n + offset), outBuffers[i]!, 0, 4 * size);
  });
  b.submitQueue();
  return outs;
};

/**
 * {@link FusedAdam} on WebGPU: the same update (PyTorch's form, bias corrections folded into α_t and ε̂_t,
 * see `adam-update.ts`),
 *
 *     m ← m + (1 − β₁)(g − m),  v ← v + (1 − β₂)(g² − v),  w ← w − α_t·m/(√v + ε̂_t)
 *
 * for every variable of the step in one kernel (`LatentlabAdam`: one dispatch over the whole parameter set,
 * framed by buffer copies) instead of 12 per variable. The moments of all variables live in one GPU buffer owned
 * by the optimizer (not tfjs tensors); `getWeights`/`setWeights` read and write them with tfjs Adam's layout
 * (iterations, the `…/m` moments, the `…/v` ones). The tensors `getWeights` returns stay owned by the optimizer
 * (freed at the next call or by `dispose`). `createOptimizer` builds it for `{ name: 'adam' }` when the backend is
 * `webgpu`; stepping it on another backend throws a `ValueError` (move its state with getWeights/setWeights).
 *
 * @example
 * await tf.setBackend('webgpu');
 * const variables = [tf.variable(tf.zeros([3, 1]), true, 'dense/w'), tf.variable(tf.zeros([1]), true, 'dense/b')];
 * const x = tf.ones([4, 3]);
 * const loss = () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, variables[0]), variables[1]), 1)));
 * const optimizer = new WebGpuAdam({ learningRate: 1e-3 });
 * optimizer.minimize(loss, false, variables); // one Adam dispatch for all of `variables`
 * optimizer.dispose();
 */
export class WebGpuAdam extends FusedAdam {
  readonly #buffers = new AdamBuffers();
  #exported: Tensor[] = [];

  override applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const fn = 'WebGpuAdam.applyGradients';
    if (getBackend() !== 'webgpu') {
      throw new ValueError(
        fn,
        'the backend is not webgpu',
        "'webgpu' (move the state with getWeights/setWeights)",
        getBackend(),
      );
    }
    const grads: Array<[string, Tensor]> = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => [name, tensor])
      : Object.entries(variableGradients);
    const inputs: NamedTensorMap = {};
    const names: string[] = [];
    const variables: Variable[] = [];
    for (const [name, g] of grads) {
      if (g == null) continue;
      const w = engine().registeredVariables[name];
      if (w == null) throw new ValueError(fn, 'no variable has this name', 'the name of a registered variable', name);
      inputs[`g${names.length}`] = g;
      inputs[`w${names.length}`] = w;
      names.push(name);
      variables.push(w);
    }
    if (names.length > 0) {
      ensureKernel({ kernelName: ADAM, kernelFunc: adamKernel });
      const step = adamStepScalars(this.config, this.iterations + 1);
      const attrs = { buffers: this.#buffers, names, step } as unknown as Record<string, never>;
      const next = engine().runKernel(ADAM, inputs, attrs) as unknown as Tensor[];
      for (const [i, w] of variables.entries()) w.assign(next[i]!);
      dispose(next);
    }
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    dispose(this.#exported);
    this.#exported = [];
    const iterations = await this.saveIterations();
    const backend = engine().findBackend('webgpu') as unknown as WebGpuBackend | null;
    const moments = backend ? await this.#buffers.readMoments(backend) : new Float32Array(0);
    const n = this.#buffers.n;
    const named = (part: 0 | 1, suffix: string) =>
      [...this.#buffers.slots].map(([name, { offset, size }]) => {
        const shape = engine().registeredVariables[name]?.shape ?? [size];
        const t = tensor(moments.slice(part * n + offset, part * n + offset + size), shape, 'float32');
        this.#exported.push(t);
        return { name: `${name}/${suffix}`, tensor: t };
      });
    return [iterations, ...named(0, 'm'), ...named(1, 'v')];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const fn = 'WebGpuAdam.setWeights';
    const rest = await this.extractIterations(weightValues);
    const m = new Map<string, Tensor>();
    const v = new Map<string, Tensor>();
    for (const { name, tensor: t } of rest) {
      const cut = name.lastIndexOf('/');
      const store = name.slice(cut + 1) === 'm' ? m : name.slice(cut + 1) === 'v' ? v : null;
      if (cut < 0 || !store) {
        throw new ValueError(fn, 'a weight has an unknown name', "'<variable>/m' or '<variable>/v'", name);
      }
      store.set(name.slice(0, cut), t);
    }
    const backend = engine().findBackend('webgpu') as unknown as WebGpuBackend | null;
    if (!backend) throw new ValueError(fn, 'no webgpu backend is registered', "the 'webgpu' backend", 'none');
    this.#buffers.destroy();
    const names = [...m.keys()];
    if (names.length === 0) return;
    this.#buffers.ensure(
      backend,
      names,
      names.map((name) => m.get(name)!.size),
    );
    const n = this.#buffers.n;
    for (const name of names) {
      const { offset, size } = this.#buffers.slots.get(name)!;
      const vt = v.get(name);
      if (!vt || vt.size !== size) {
        throw new ValueError(
          fn,
          `the second moment of ${name} is missing or has another size`,
          `${size} values`,
          String(vt?.size ?? 'none'),
        );
      }
      backend.queue.writeBuffer(this.#buffers.state!, 4 * offset, (await m.get(name)!.data()) as Float32Array);
      backend.queue.writeBuffer(this.#buffers.state!, 4 * (n + offset), (await vt.data()) as Float32Array);
    }
    backend.submitQueue();
  }

  override dispose(): void {
    dispose(this.#exported);
    this.#exported = [];
    this.#buffers.destroy();
    super.dispose();
  }
}

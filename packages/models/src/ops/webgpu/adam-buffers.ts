import { BufferUsage, type GpuBuffer, MAP_READ, type WebGpuBackend } from './backend.js';

type Device = WebGpuBackend['device'];

/** Where one variable's elements sit in the flat buffers: [offset, offset + size). */
export interface Slot {
  readonly offset: number;
  readonly size: number;
}

/** WGSL of the Adam update over elements [start, start + count) of the flat buffers (see `adam.ts` for the formula). */
export const ADAM_WGSL = `
struct Params { start : u32, count : u32, n : u32, pad : u32, c1 : f32, c2 : f32, alpha : f32, epsHat : f32 };
@group(0) @binding(0) var<storage, read_write> state : array<f32>; // [m | v | w], 3n
@group(0) @binding(1) var<storage, read> g : array<f32>;           // n
@group(0) @binding(2) var<uniform> p : Params;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) groups : vec3<u32>) {
  let k = gid.x + gid.y * groups.x * 256u;
  if (k >= p.count) { return; }
  let i = p.start + k;
  let gi = g[i];
  let m = state[i] + (gi - state[i]) * p.c1;
  let v = state[p.n + i] + (gi * gi - state[p.n + i]) * p.c2;
  state[i] = m;
  state[p.n + i] = v;
  state[2u * p.n + i] = state[2u * p.n + i] - p.alpha * m / (sqrt(v) + p.epsHat);
}`;

const pipelines = new WeakMap<object, ReturnType<Device['createComputePipeline']>>();

/** The compute pipeline of {@link ADAM_WGSL} on `device` (compiled once per device). */
export function adamPipeline(device: Device): ReturnType<Device['createComputePipeline']> {
  let pipeline = pipelines.get(device);
  if (!pipeline) {
    const module = device.createShaderModule({ code: ADAM_WGSL, label: 'latentlab_adam' });
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    pipelines.set(device, pipeline);
  }
  return pipeline;
}

/**
 * Adam's moments for a whole parameter set in one GPU buffer, `state` = [m | v | w] (3n floats; the w part is
 * scratch, filled from the variables at every step), the gradients gathered into `grad` (n floats) and one
 * uniform buffer per contiguous run of updated variables. Variables get slots in the order first seen; a new
 * variable grows the buffers (the old moments are copied over). Owned by one optimizer: `destroy()` frees it.
 */
export class AdamBuffers {
  readonly slots = new Map<string, Slot>();
  n = 0;
  state: GpuBuffer | null = null;
  grad: GpuBuffer | null = null;
  readonly uniforms: GpuBuffer[] = [];
  readonly #retired: GpuBuffer[] = [];

  /** Destroys the buffers replaced by a growth, once the commands that copied out of them were submitted. */
  releaseRetired(): void {
    for (const b of this.#retired.splice(0)) b.destroy();
  }

  /** Adds slots for `names` not seen yet (sizes from `sizes`), growing the buffers on `backend`'s encoder. */
  ensure(backend: WebGpuBackend, names: readonly string[], sizes: readonly number[]): void {
    const fresh = names.filter((name) => !this.slots.has(name));
    if (fresh.length === 0 && this.state) return;
    const oldN = this.n;
    for (const name of fresh) {
      const size = sizes[names.indexOf(name)]!;
      this.slots.set(name, { offset: this.n, size });
      this.n += size;
    }
    const storage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    const device = backend.device;
    const state = device.createBuffer({ size: Math.max(4, 12 * this.n), usage: storage });
    const grad = device.createBuffer({ size: Math.max(4, 4 * this.n), usage: storage });
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    const encoder = backend.commandEncoder;
    if (this.state && oldN > 0) {
      encoder.copyBufferToBuffer(this.state, 0, state, 0, 4 * oldN); // m
      encoder.copyBufferToBuffer(this.state, 4 * oldN, state, 4 * this.n, 4 * oldN); // v
    }
    // New moments start at zero: WebGPU zero-initialises every buffer it creates.
    this.#retire();
    this.state = state;
    this.grad = grad;
  }

  /** The uniform buffer of run `i` (created on first use). */
  uniform(device: Device, i: number): GpuBuffer {
    while (this.uniforms.length <= i) {
      this.uniforms.push(device.createBuffer({ size: 32, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST }));
    }
    return this.uniforms[i]!;
  }

  /** m and v of every slot, read back: [m (n floats) | v (n floats)]. */
  async readMoments(backend: WebGpuBackend): Promise<Float32Array> {
    if (!this.state || this.n === 0) return new Float32Array(0);
    const bytes = 8 * this.n;
    const staging = backend.device.createBuffer({ size: bytes, usage: MAP_READ | BufferUsage.COPY_DST });
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    backend.commandEncoder.copyBufferToBuffer(this.state, 0, staging, 0, bytes);
    backend.submitQueue();
    await staging.mapAsync(MAP_READ);
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    staging.destroy();
    return out;
  }

  /** Frees every buffer (after the commands already submitted that use them: WebGPU defers the release). */
  destroy(): void {
    this.#retire();
    for (const b of this.uniforms.splice(0)) b.destroy();
    for (const b of this.#retired.splice(0)) b.destroy();
    this.slots.clear();
    this.n = 0;
  }

  #retire(): void {
    if (this.state) this.#retired.push(this.state);
    if (this.grad) this.#retired.push(this.grad);
    this.state = null;
    this.grad = null;
  }
}

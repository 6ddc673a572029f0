import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

// The slice of @tensorflow/tfjs-backend-webgpu's `WebGPUBackend` that the kernels of this folder use, typed here so
// the models package needs neither the backend at run time (kernels are plain objects handed to the backend the
// engine passes in) nor the DOM's WebGPU types (the package compiles without the DOM lib). Checked against
// tfjs-backend-webgpu 4.22 `dist/backend_webgpu.d.ts` and `dist/webgpu_program.d.ts`.

/** A GPU buffer, as far as these kernels touch it. */
export interface GpuBuffer {
  readonly size: number;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

/** tfjs-backend-webgpu's `WebGPUProgram`: `getUserCode()` holds `fn main(index: i32)` for a flat dispatch. */
export interface WebGpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  size?: boolean;
  uniforms?: string;
  getUserCode: () => string;
}

/** A uniform value a program declares in `uniforms` (appended after the backend's shapes and strides). */
export type ProgramUniform = Array<{ type: 'float32' | 'int32' | 'uint32'; data: number[] }>;

interface CommandEncoder {
  copyBufferToBuffer(src: GpuBuffer, srcOffset: number, dst: GpuBuffer, dstOffset: number, size: number): void;
  beginComputePass(descriptor?: object): {
    setPipeline(pipeline: unknown): void;
    setBindGroup(index: number, group: unknown): void;
    dispatchWorkgroups(x: number, y?: number, z?: number): void;
    end(): void;
  };
}

interface GpuDevice {
  readonly limits: { readonly maxComputeWorkgroupsPerDimension: number };
  createBuffer(descriptor: { size: number; usage: number; mappedAtCreation?: boolean }): GpuBuffer;
  createShaderModule(descriptor: { code: string; label?: string }): unknown;
  createComputePipeline(descriptor: { layout: 'auto'; compute: { module: unknown; entryPoint: string } }): {
    getBindGroupLayout(index: number): unknown;
  };
  createBindGroup(descriptor: { layout: unknown; entries: Array<{ binding: number; resource: unknown }> }): unknown;
}

/** tfjs-backend-webgpu 4.22's `WebGPUBackend` (public and, marked, private members the Adam kernel relies on). */
export interface WebGpuBackend {
  readonly device: GpuDevice;
  readonly queue: { writeBuffer(buffer: GpuBuffer, offset: number, data: ArrayBufferView): void };
  readonly tensorMap: { get(dataId: object): { resource?: unknown; dtype: DataType; shape: number[] } };
  runWebGPUProgram(
    program: WebGpuProgram,
    inputs: TensorInfo[],
    outputDtype: DataType,
    uniforms?: ProgramUniform,
    output?: TensorInfo,
  ): TensorInfo;
  makeTensorInfo(shape: number[], dtype: DataType): TensorInfo;
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  /** Private in tfjs-backend-webgpu: the encoder that collects the step's commands until `submitQueue`. */
  readonly commandEncoder: CommandEncoder;
}

/** WebGPU's buffer usage and map-mode flags (the values of the spec's `GPUBufferUsage` / `GPUMapMode`). */
export const BufferUsage = Object.freeze({
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
});
export const MAP_READ = 0x0001;

/** The GPU buffer behind a tensor (uploaded first if its values still sit on the CPU). */
export function bufferOf(backend: WebGpuBackend, t: TensorInfo): GpuBuffer {
  backend.uploadToGPU(t.dataId);
  const resource = backend.tensorMap.get(t.dataId).resource;
  if (resource == null || typeof (resource as GpuBuffer).size !== 'number') {
    throw new Error('webgpu kernels: expected a tensor stored in a GPU buffer, found a texture or nothing');
  }
  return resource as GpuBuffer;
}

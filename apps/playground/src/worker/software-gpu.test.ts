// Which GPUs the default passes over. The strings are what the browsers report for those GPUs: Chromium's ANGLE
// renderer over SwiftShader (as the e2e suite's Chromium reports it), Mesa's llvmpipe, Windows' WARP, and
// hardware renderers and WebGPU adapters of the three desktop vendors.
import { describe, expect, it } from 'vitest';
import { softwareRenderer, webglSoftwareReason, webgpuSoftwareReason } from './software-gpu.js';

describe('softwareRenderer', () => {
  it('names SwiftShader, llvmpipe and WARP, and no hardware renderer', () => {
    const swiftshader = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
    expect(softwareRenderer(swiftshader)).toBe('SwiftShader');
    expect(softwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)')).toBe(
      'Microsoft Basic Render',
    );
    for (const hardware of [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 4070 (0x00002786) Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)',
      'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
      'AMD Radeon Pro 5500M OpenGL Engine',
    ]) {
      expect(softwareRenderer(hardware)).toBeNull();
    }
  });
});

describe('webgpuSoftwareReason', () => {
  it('passes over a fallback adapter or one named after a software renderer, naming it', () => {
    const reason = webgpuSoftwareReason({ vendor: 'google', architecture: 'swiftshader' });
    expect(reason).toMatch(/^a software adapter \(google swiftshader\)/);
    expect(webgpuSoftwareReason({ vendor: '', architecture: '', isFallbackAdapter: true })).toMatch(
      /^a software adapter \(unnamed, isFallbackAdapter\)/,
    );
  });

  it('keeps hardware adapters, also where the browser withholds their names', () => {
    expect(webgpuSoftwareReason({ vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false })).toBeNull();
    expect(webgpuSoftwareReason({ vendor: 'apple', architecture: 'metal-3' })).toBeNull();
    expect(webgpuSoftwareReason({ vendor: '', architecture: '' })).toBeNull();
  });
});

describe('webglSoftwareReason', () => {
  it('passes over a software renderer, naming it, and keeps a hardware one', () => {
    expect(webglSoftwareReason('llvmpipe (LLVM 15.0.6, 256 bits)')).toMatch(/^a software renderer \(llvmpipe/);
    expect(webglSoftwareReason('ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)')).toBeNull();
  });
});

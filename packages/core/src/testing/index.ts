/**
 * Test helpers for code built on Latentlab: closeness with explicit finite checks, leak checks and
 * central finite differences. Framework-agnostic: they throw {@link AssertionError}. The checks read tensors
 * asynchronously (await them), which works on every backend, webgpu included; `tidyAsync` scopes an async body.
 */
export { AssertionError, assertClose, assertFinite, type CloseOptions, type Values } from './assert-close.js';
export { assertGradientClose, type GradientCheckOptions, numericGradient } from './finite-differences.js';
export { assertNoLeaks } from './leaks.js';
export { seededRandom, seededUniforms } from './seeded-uniforms.js';
export { tidyAsync } from './tidy-async.js';

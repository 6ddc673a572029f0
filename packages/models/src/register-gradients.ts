/**
 * Registers tfjs-core's gradient functions, which tfjs-core itself leaves out (the `@tensorflow/tfjs` umbrella
 * package imports them; `@tensorflow/tfjs-core` alone does not, and `tf.grad` then fails with "gradient function
 * not found for Sum"). Training code imports this module through the `#register-gradients` subpath import:
 *
 * - bundlers, vite and vitest resolve it to this file, which loads tfjs-core's own ESM module;
 * - plain Node resolves it to `dist/register-gradients.node.js`, a bundle of that module made at build time by
 *   `scripts/bundle-gradients.mjs`, because tfjs-core's ESM files use extensionless imports that Node cannot load.
 *
 * Either way the gradients land in tfjs's global gradient registry, shared by every copy of tfjs-core.
 * Registering twice is harmless (tfjs warns in debug mode only).
 */
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

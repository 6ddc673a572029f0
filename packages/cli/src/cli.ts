#!/usr/bin/env node
/**
 * The `latentlab` process: wires `main` to stdout/stderr and sets the exit code. Started by `bin/latentlab.mjs`.
 *
 * @example
 * // npx latentlab train --model vae --dataset mnist --latent 20 --epochs 10 --backend wasm --out runs/vae-mnist
 */
import * as tf from '@tensorflow/tfjs-core';
import { EXIT, oneLine } from './exit-codes.js';
import { main } from './main.js';

// tfjs prints its warnings (the cpu backend's "install tfjs-node" banner among them) through `log.warn`, which is
// silent when the PROD flag is set; in tfjs 4.22 PROD gates nothing else (no checks are disabled).
tf.env().set('PROD', true);

/** The last resort: an error that escaped `main` (a rejected callback, say) is one line and exit code 4, not a stack. */
const fatal = (error: unknown) => {
  process.stderr.write(`latentlab: ${oneLine(error)}\n`);
  if (process.env.LATENTLAB_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
  process.exit(EXIT.internal);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
});

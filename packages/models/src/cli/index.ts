#!/usr/bin/env node
/// <reference types="node" />
/**
 * The `latentlab` executable (see `main.ts`): `latentlab train|eval|sample|bench [options]`.
 *
 * @example
 * // npx latentlab train --model vae --dataset mnist --latent 20 --epochs 10 --backend wasm --out runs/vae-mnist
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
});

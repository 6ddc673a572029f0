import { readFileSync } from 'node:fs';
import { gunzip } from '/work/main/packages/data/.tmp-out/gzip.js';
const b = new Uint8Array(readFileSync('/work/main/packages/data/data/fashion-mnist-train-images-idx3-ubyte.gz'));
let t = performance.now(); const out = await gunzip(b); console.log('DecompressionStream', out.length, (performance.now() - t).toFixed(0), 'ms');
const zlib = await import('node:zlib'); t = performance.now(); const o2 = zlib.gunzipSync(b); console.log('zlib', o2.length, (performance.now() - t).toFixed(0), 'ms');

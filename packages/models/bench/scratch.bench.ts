import { test } from 'vitest';
import { symmetricEigen } from '../src/pca/eigen.js';

test('eigen speed', () => {
  for (const n of [100, 784]) {
    const b = new Float64Array(n * n).map(() => Math.random() - 0.5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!; a[i * n + j] = s; }
    const t0 = performance.now();
    const { values, vectors } = symmetricEigen(a, n);
    const ms = performance.now() - t0;
    // residual ||A v - λ v||
    let worst = 0;
    for (const j of [0, 1, n - 1]) { for (let i = 0; i < n; i++) { let s = 0; for (let k = 0; k < n; k++) s += a[i * n + k]! * vectors[j * n + k]!; worst = Math.max(worst, Math.abs(s - values[j]! * vectors[j * n + i]!)); } }
    console.log(n, ms.toFixed(0), 'ms', 'residual', worst, values[0], values[n - 1]);
  }
});

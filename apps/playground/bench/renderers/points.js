// 70 000 2-d points in 10 Gaussian clusters (a seeded LCG + Box-Muller), like a 2-d VAE's codes of MNIST.
export const N = 70000;
export function makePoints(n = N) {
  let s = 12345;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const xy = new Float32Array(n * 2);
  const label = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    const r = Math.sqrt(-2 * Math.log(u()));
    const t = 2 * Math.PI * u();
    xy[2 * i] = Math.cos((c / 10) * 2 * Math.PI) * 2 + 0.6 * r * Math.cos(t);
    xy[2 * i + 1] = Math.sin((c / 10) * 2 * Math.PI) * 2 + 0.6 * r * Math.sin(t);
    label[i] = c;
  }
  return { xy, label, n };
}
export const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#d55e00',
  '#cc79a7',
  '#56b4e9',
  '#f0e442',
  '#000000',
  '#999999',
  '#882255',
];

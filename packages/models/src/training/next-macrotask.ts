// A macrotask turn for the event loop, which the training loop awaits every `yieldEveryMs` so a page stays
// responsive while it trains.
interface MacrotaskHosts {
  setImmediate?: (cb: () => void) => unknown;
  MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(m: null): void } };
  setTimeout(cb: () => void, ms: number): unknown;
}

/**
 * A macrotask turn for the event loop (I/O, timers, input, rendering) without a timer's clamp: `setImmediate` in
 * Node, a MessageChannel message in browsers and workers (as React's scheduler does), `setTimeout(0)` otherwise
 * (≥ 1 ms in Node, up to 4 ms in browsers: ≈ 3–5 % of training time at one turn every 20 ms).
 *
 * @example
 * await nextMacrotask(); // timers, I/O and input due before this call have had their turn
 */
export const nextMacrotask: () => Promise<void> = (() => {
  const host = globalThis as unknown as MacrotaskHosts;
  if (typeof host.setImmediate === 'function') {
    const setImmediate = host.setImmediate;
    return () => new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (typeof host.MessageChannel === 'function') {
    const channel = new host.MessageChannel();
    const waiting: Array<() => void> = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((resolve) => host.setTimeout(resolve, 0));
})();

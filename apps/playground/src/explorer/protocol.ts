/**
 * The explorer's messages between the page and the playground's worker (added to protocol.ts's `Request` and
 * `WorkerEvent` unions). The worker encodes every example in chunks and streams them; the page only draws.
 * Everything is structured-cloneable; the chunk's arrays are transferred, not copied.
 */
export type ExplorerRequest =
  /** Encode every example of the explorer's data (for MNIST: the 60 000 training and 10 000 test images). */
  | { type: 'explorer.encode' }
  /** Decode one code z (its full `latentDim` entries); answered by 'explorer.image' with the same `id`. */
  | { type: 'explorer.decode'; id: number; z: number[] }
  /** Reconstruct example `index` (decode(encode(x))); answered by 'explorer.image' with the same `id`. */
  | { type: 'explorer.reconstruct'; id: number; index: number };

/** Where the examples come from, in order: e.g. `[{ name: 'train', n: 60000 }, { name: 'test', n: 10000 }]`. */
export interface ExplorerSource {
  name: string;
  n: number;
}

export type ExplorerEvent =
  | {
      type: 'explorer.start';
      n: number;
      latentDim: number;
      /** [height, width] of an example drawn as an image, or null (then hover shows no picture). */
      imageShape: [number, number] | null;
      classNames: string[] | null;
      sources: ExplorerSource[];
      /** Whether `kl` comes with the chunks (VAE only). */
      hasKl: boolean;
    }
  | {
      type: 'explorer.chunk';
      /** Index of the chunk's first example. */
      offset: number;
      /** Codes [count, latentDim] (posterior means μ for a VAE). */
      z: Float32Array;
      /** Class index per example (−1 when unlabelled): [count]. */
      labels: Int32Array;
      /** Per-example loss in nats (see encode-all.ts): [count]. */
      loss: Float32Array;
      /** Per-example KL(q(z|x) ‖ N(0, I)) in nats: [count], or null for models without one. */
      kl: Float32Array | null;
      /** Grey levels 0…255 of the examples when they are images: [count, height·width], else null. */
      images: Uint8Array | null;
    }
  | { type: 'explorer.done'; n: number; ms: number }
  /** The encoding waits for something (the training split of an image set, still loading): `message` says what. */
  | { type: 'explorer.waiting'; message: string }
  | { type: 'explorer.image'; id: number; pixels: Uint8Array | null; message?: string }
  | { type: 'explorer.error'; message: string };

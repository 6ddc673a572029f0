/**
 * What the latent explorer needs, independent of how the codes were produced (a VAE in the playground's worker,
 * a file of codes, a PyTorch export...).
 *
 * @example
 * <LatentExplorer
 *   codes={{ z, latentDim: 2 }}             // [n, latentDim]; the first two dimensions are plotted
 *   labels={labels} classNames={['0', …, '9']}
 *   loss={loss} kl={kl}                      // per-example colourings, optional
 *   imageShape={[28, 28]} image={(i) => images.subarray(i * 784, (i + 1) * 784)}
 *   reconstruction={(i) => worker.reconstruct(i)}
 *   decode={(z) => worker.decode(z)}
 * />
 */
export interface LatentExplorerProps {
  /** Codes [n, latentDim] (row-major). Dimensions 0 and 1 are plotted; neighbours are found in that plane. */
  codes: { z: Float32Array; latentDim: number };
  /** Class index per example, −1 for none: [n]. */
  labels?: Int32Array | null;
  classNames?: readonly string[] | null;
  /** Per-example loss (nats): [n]. */
  loss?: Float32Array | null;
  /** Per-example KL(q(z|x) ‖ p(z)) (nats): [n]. */
  kl?: Float32Array | null;
  /** [height, width] when examples are images (hover shows them), else null. */
  imageShape: [number, number] | null;
  /** Grey levels 0…255 of example i. */
  image?: (i: number) => Uint8Array | null;
  /** Grey levels of decode(encode(x_i)). */
  reconstruction?: (i: number) => Promise<Uint8Array | null>;
  /** Grey levels of decode(z) for a full code z ([latentDim]; a click in the plane sets the other dimensions to 0). */
  decode: (z: number[]) => Promise<Uint8Array | null>;
  /** Caption of the example counts, e.g. "60 000 train + 10 000 test". */
  caption?: string;
}

export type ColourBy = 'label' | 'loss' | 'kl';

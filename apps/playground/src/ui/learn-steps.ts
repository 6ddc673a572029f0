import type { LearnModel, PlotSet, TrainSettings } from '../protocol.js';

/** One step of the argument: its text, the shipped model's figures it shows, and the lab settings to try it. */
export interface LearnStep {
  id: string;
  title: string;
  text: string[];
  model: LearnModel;
  /** Figures of the shipped model, by plot key. */
  figures: (keyof Omit<PlotSet, 'axes' | 'classesShown' | 'posteriorsShown'>)[];
  /** Further shipped models whose same figures are shown beside (the β trade-off). */
  also?: LearnModel[];
  /** A caption per model (`model`, then each of `also`), when the plot titles alone do not tell them apart. */
  captions?: string[];
  /** Clicking the latent plane decodes the code with this model. */
  clickToDecode?: boolean;
  tryIt: Partial<TrainSettings>;
}

/** The argument, in order: from encode/decode to the VAE. */
export const LEARN_STEPS: readonly LearnStep[] = [
  {
    id: 'encode-decode',
    title: '1. Dimensionality reduction is encoding and decoding',
    text: [
      'A 28 × 28 digit is a point in 784 dimensions, but digits fill a tiny, curved part of that space. Reducing the dimension means finding an encoder that maps each image to a short code z and a decoder that maps the code back to an image.',
      'How good the pair is shows in what comes back: below, test digits above their reconstructions from a code of only two numbers.',
    ],
    model: 'pca',
    figures: ['reconstructions'],
    tryIt: { model: 'pca', latentDim: 2 },
  },
  {
    id: 'pca',
    title: '2. PCA is the linear case',
    text: [
      'PCA takes the encoder and decoder to be linear: the code is the projection on the directions of largest variance, and decoding adds those directions back to the mean image. It is fitted in one pass, with no training loop.',
      'Click anywhere on the plane of codes to decode that point. Everything PCA can draw is a mean image plus a mix of two fixed patterns, so most points decode to blurred blends of digits.',
    ],
    model: 'pca',
    figures: ['scatter', 'manifold'],
    clickToDecode: true,
    tryIt: { model: 'pca', latentDim: 2 },
  },
  {
    id: 'autoencoder',
    title: '3. Autoencoders make both maps nonlinear',
    text: [
      'An autoencoder replaces the two linear maps by small neural networks and trains them together to make the reconstruction close to the input. With the same two numbers per digit, the codes of different digits separate better and the reconstructions get sharper.',
    ],
    model: 'ae',
    figures: ['reconstructions'],
    tryIt: { model: 'deep-ae', latentDim: 2 },
  },
  {
    id: 'holes',
    title: '4. …but its latent space has holes',
    text: [
      'Nothing in the autoencoder’s loss says where codes should go, so they land in clumps of arbitrary size and place with empty space between them. A code from the gaps was never trained on and decodes to something that is not a digit.',
      'Below, the codes of test digits, the decoded grid over the plane, and images decoded from codes drawn from N(0, I): many fall off the clumps. Click the plane, between the clumps, to decode a point of your own.',
    ],
    model: 'ae',
    figures: ['scatter', 'manifold', 'samples'],
    clickToDecode: true,
    tryIt: { model: 'deep-ae', latentDim: 2 },
  },
  {
    id: 'vae',
    title: '5. The VAE: a distribution per input, and a regular latent space',
    text: [
      'A variational autoencoder’s encoder returns a distribution, a Gaussian with mean μ(x) and standard deviation σ(x), and the decoder sees a code sampled from it, z = μ + σ·ε with ε ~ N(0, I) (the reparameterisation, which lets gradients flow through the sample).',
      'Its loss is the reconstruction error plus β times the KL divergence from N(μ, σ²) to N(0, I). The KL term pulls every code towards the origin and keeps σ from shrinking to zero, so the codes fill the plane without gaps and every point decodes to a plausible digit. A larger β gives a more regular space and blurrier images; a smaller β the reverse.',
      'On the scatter, each coloured ellipse is the posterior of one test digit, the region μ ± σ around its mean code: the decoder was trained on codes drawn from all of it. The ellipses of neighbouring digits overlap, so nearby codes must decode to similar images.',
      'Click the plane to decode a point; compare its grid with the autoencoder’s above.',
    ],
    model: 'vae',
    figures: ['scatter', 'manifold', 'samples'],
    clickToDecode: true,
    tryIt: { model: 'vae', latentDim: 2, beta: 1 },
  },
  {
    id: 'beta',
    title: '6. The β trade-off',
    text: [
      'β sets how hard the KL term pulls. The same VAE trained with β = 0.5 and β = 4 (the one above has β = 1): with a small β the codes spread out and reconstructions are sharper, but the plane gets emptier between classes; with a large β the codes crowd into N(0, I), the grid is smooth everywhere, and the digits blur into each other as the code carries less about each input.',
    ],
    model: 'vae-beta-0.5',
    figures: ['scatter', 'manifold'],
    also: ['vae-beta-4'],
    captions: ['β = 0.5 (top)', 'β = 4 (bottom)'],
    tryIt: { model: 'vae', latentDim: 2, beta: 4 },
  },
];

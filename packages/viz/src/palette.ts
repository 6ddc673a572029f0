/**
 * Colour-blind-safe categorical palettes.
 * Okabe & Ito (2008), "Color Universal Design": 8 colours distinguishable under the common colour-vision deficiencies.
 * Paul Tol's "muted" scheme (personal.sron.nl/~pault, 2021): 9 colours + a dark grey for a tenth class, used when
 * Okabe–Ito runs out (MNIST has 10 classes).
 */
export const OKABE_ITO = [
  '#E69F00',
  '#56B4E9',
  '#009E73',
  '#F0E442',
  '#0072B2',
  '#D55E00',
  '#CC79A7',
  '#000000',
] as const;

/** Paul Tol's muted qualitative palette (colour-blind safe), for up to 10 classes. */
export const TOL_MUTED = [
  '#CC6677',
  '#332288',
  '#DDCC77',
  '#117733',
  '#88CCEE',
  '#882255',
  '#44AA99',
  '#999933',
  '#AA4499',
  '#555555',
] as const;

/**
 * Picks `k` categorical colours: Okabe–Ito for k ≤ 8, Tol muted for k ≤ 10; beyond 10 the Tol colours repeat
 * (more than ten classes cannot be told apart by colour alone: label them instead).
 *
 * @example
 * categoricalColors(3); // ['#E69F00', '#56B4E9', '#009E73']
 */
export function categoricalColors(k: number): string[] {
  const base: readonly string[] = k <= OKABE_ITO.length ? OKABE_ITO : TOL_MUTED;
  return Array.from({ length: k }, (_, i) => base[i % base.length]!);
}

import { createRequire } from 'node:module';
import { VizError } from '../errors.js';

const require = createRequire(import.meta.url);

/**
 * The packages PNG rendering in Node needs: resvg's native rasteriser and the DejaVu fonts. They are optional peer
 * dependencies of `@latentlab/viz`, so browser-only users install neither (≈ 12 MB of fonts and a native binary).
 */
export const PNG_PEERS = ['@resvg/resvg-js', 'dejavu-fonts-ttf'] as const;

/** The command that installs {@link PNG_PEERS}. */
export const PNG_PEERS_INSTALL = `npm install ${PNG_PEERS.join(' ')}`;

/**
 * Loads `what` (resolved or required through `load`) for `fn`, turning "not installed" into a {@link VizError}
 * that names the package and the install command; other failures propagate.
 *
 * @example
 * const { Resvg } = loadPngPeer('renderPng', '@resvg/resvg-js', () => require('@resvg/resvg-js'));
 */
export function loadPngPeer<T>(fn: string, name: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new VizError(
      fn,
      `PNG rendering needs ${name}, an optional peer of @latentlab/viz`,
      `it installed (${PNG_PEERS_INSTALL})`,
      `${name} not installed`,
    );
  }
}

let resvg: typeof import('@resvg/resvg-js') | undefined;
/** `@resvg/resvg-js`, required on first use. */
export function resvgModule(fn: string): typeof import('@resvg/resvg-js') {
  resvg ??= loadPngPeer(fn, '@resvg/resvg-js', () => require('@resvg/resvg-js') as typeof import('@resvg/resvg-js'));
  return resvg;
}

/**
 * DejaVu Sans (regular, bold) from the `dejavu-fonts-ttf` package: PNGs get text on machines with no fonts.
 *
 * @example
 * bundledFonts('renderPng'); // ['/…/dejavu-fonts-ttf/ttf/DejaVuSans.ttf', '/…/DejaVuSans-Bold.ttf']
 */
export function bundledFonts(fn = 'bundledFonts'): string[] {
  return loadPngPeer(fn, 'dejavu-fonts-ttf', () => [
    require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  ]);
}

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { VizError } from '../errors.js';
import { loadPngPeer, PNG_PEERS, PNG_PEERS_INSTALL, resvgModule } from './png-peers.js';

const require = createRequire(import.meta.url);

describe('PNG peers', () => {
  it('loads resvg when it is installed (a dev dependency here)', () => {
    expect(typeof resvgModule('test').Resvg).toBe('function');
  });

  it('turns a missing package into a VizError naming it and the install command', () => {
    const missing = 'latentlab-no-such-package';
    expect(() => loadPngPeer('renderPng', missing, () => require(missing))).toThrow(VizError);
    expect(() => loadPngPeer('renderPng', missing, () => require(missing))).toThrow(
      `Error in renderPng: PNG rendering needs ${missing}, an optional peer of @latentlab/viz: expected it installed (${PNG_PEERS_INSTALL}), found ${missing} not installed`,
    );
    expect(PNG_PEERS_INSTALL).toBe(`npm install ${PNG_PEERS.join(' ')}`);
  });

  it('lets other failures through unchanged', () => {
    const boom = new TypeError('boom');
    expect(() =>
      loadPngPeer('renderPng', 'x', () => {
        throw boom;
      }),
    ).toThrow(boom);
  });
});

import { digitDataUri } from './digit-image.js';

/**
 * A grey-level image as one `<img>` of a PNG `data:` URL. Not SVG with a rect per pixel: hovering while panning
 * 70 000 codes re-rendered ten digits of up to 784 rects each per example passed, and those DOM updates were the
 * main thread's long tasks (BENCHMARKS.md, "Latent explorer in the app"). Not a canvas either: no 2-d context on
 * the page, so showing an image never makes the page's synchronous first-canvas call to the GPU process (issue #7).
 */
export function Digit({
  pixels,
  shape,
  size = 84,
  label,
  testId,
}: {
  pixels: Uint8Array;
  shape: [number, number];
  size?: number;
  label: string;
  testId?: string;
}) {
  const [h, w] = shape;
  return (
    <img
      src={digitDataUri(pixels, shape)}
      width={size}
      height={(size * h) / w}
      alt={label}
      data-testid={testId}
      className="explorer-digit"
      decoding="async"
    />
  );
}

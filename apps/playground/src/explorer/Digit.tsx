/**
 * A grey-level image drawn as SVG (one rect per non-zero pixel): no canvas context on the page, so showing an
 * image never makes the page's synchronous first-canvas call to the GPU process (BENCHMARKS.md, issue #7).
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
  const rects = [];
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const v = pixels[r * w + c] ?? 0;
      if (v > 8)
        rects.push(<rect key={r * w + c} x={c} y={r} width={1.02} height={1.02} fill={`rgb(${v},${v},${v})`} />);
    }
  }
  return (
    <svg
      viewBox={`0 0 ${w} ${h}`}
      width={size}
      height={(size * h) / w}
      role="img"
      aria-label={label}
      data-testid={testId}
      className="explorer-digit"
    >
      <rect width={w} height={h} fill="#000" />
      {rects}
    </svg>
  );
}

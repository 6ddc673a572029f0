/**
 * Class names written onto a scatter at each class's centre (the median pixel of its points, per axis), so a class
 * is told by its label and not by colour alone (ten classes cannot all be told apart by colour, least of all by
 * colour-blind readers).
 *
 * @example
 * const points = { x: Float32Array.of(0, 2, 10), y: Float32Array.of(0, 2, 10), group: Uint16Array.of(0, 0, 1) };
 * classLabels(points, ['a', 'b']); // 'a' at (1, 1), 'b' at (10, 10)
 */
import type { PointsMark, TextMark } from '@latentlab/viz';

function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function classLabels(points: Pick<PointsMark, 'x' | 'y' | 'group'>, classNames: string[]): TextMark[] {
  const xs = classNames.map((): number[] => []);
  const ys = classNames.map((): number[] => []);
  for (let i = 0; i < points.group.length; i++) {
    const g = points.group[i]!;
    if (g >= classNames.length) continue;
    xs[g]!.push(points.x[i]!);
    ys[g]!.push(points.y[i]!);
  }
  return classNames.flatMap((name, g): TextMark[] =>
    xs[g]!.length === 0
      ? []
      : [
          {
            type: 'text',
            x: median(xs[g]!),
            y: median(ys[g]!),
            text: name,
            size: 13,
            fill: '#111111',
            anchor: 'middle',
            baseline: 'middle',
            weight: 'bold',
          },
        ],
  );
}

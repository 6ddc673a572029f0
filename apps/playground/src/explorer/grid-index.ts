/**
 * Nearest neighbours among n points in the plane through a uniform grid: points are bucketed into cells of side
 * `cell` (≈ √(area / n) × 2, so a cell holds a few points); a query scans rings of cells around its own until the
 * k-th best distance found is no larger than the distance to the next ring's nearest edge, so the answer is exact.
 * Build O(n), query O(k) for evenly spread points.
 *
 * @example
 * const index = new GridIndex(Float32Array.of(0, 0, 1, 0, 5, 5)); // [n, 2]
 * index.nearest(0.9, 0.1, 2); // [1, 0]
 */
export class GridIndex {
  readonly n: number;
  readonly #xy: Float32Array;
  readonly #x0: number;
  readonly #y0: number;
  readonly #cell: number;
  readonly #cols: number;
  readonly #rows: number;
  /** Start of each cell's run in `#order` ([cols·rows + 1]); `#order` holds point indices sorted by cell. */
  readonly #start: Uint32Array;
  readonly #order: Uint32Array;

  /** xy: [n, 2] interleaved coordinates (finite). */
  constructor(xy: Float32Array) {
    if (xy.length % 2 !== 0) throw new RangeError(`GridIndex: expected [n, 2] coordinates, got ${xy.length} values`);
    this.n = xy.length / 2;
    this.#xy = xy;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < this.n; i++) {
      const x = xy[2 * i]!;
      const y = xy[2 * i + 1]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    if (this.n === 0) [x0, y0, x1, y1] = [0, 0, 1, 1];
    const area = Math.max(x1 - x0, 1e-9) * Math.max(y1 - y0, 1e-9);
    this.#cell = Math.max(2 * Math.sqrt(area / Math.max(1, this.n)), 1e-9);
    this.#x0 = x0;
    this.#y0 = y0;
    this.#cols = Math.min(4096, Math.floor((x1 - x0) / this.#cell) + 1);
    this.#rows = Math.min(4096, Math.floor((y1 - y0) / this.#cell) + 1);
    const cells = new Uint32Array(this.n);
    const counts = new Uint32Array(this.#cols * this.#rows + 1);
    for (let i = 0; i < this.n; i++) {
      const c = this.#cellOf(xy[2 * i]!, xy[2 * i + 1]!);
      cells[i] = c;
      counts[c + 1]! += 1;
    }
    for (let c = 1; c < counts.length; c++) counts[c]! += counts[c - 1]!;
    this.#start = counts;
    const fill = counts.slice(0, -1);
    this.#order = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) this.#order[fill[cells[i]!]!++] = i;
  }

  #col(x: number): number {
    return Math.min(this.#cols - 1, Math.max(0, Math.floor((x - this.#x0) / this.#cell)));
  }

  #row(y: number): number {
    return Math.min(this.#rows - 1, Math.max(0, Math.floor((y - this.#y0) / this.#cell)));
  }

  #cellOf(x: number, y: number): number {
    return this.#row(y) * this.#cols + this.#col(x);
  }

  /** Indices of the k points nearest to (x, y), nearest first (ties: lower index first). */
  nearest(x: number, y: number, k: number): number[] {
    const want = Math.min(k, this.n);
    if (want <= 0) return [];
    const best: { i: number; d: number }[] = [];
    const consider = (i: number) => {
      const dx = this.#xy[2 * i]! - x;
      const dy = this.#xy[2 * i + 1]! - y;
      const d = dx * dx + dy * dy;
      if (best.length === want && (d > best[want - 1]!.d || (d === best[want - 1]!.d && i > best[want - 1]!.i))) return;
      let j = best.length;
      best.push({ i, d });
      while (j > 0 && (best[j - 1]!.d > d || (best[j - 1]!.d === d && best[j - 1]!.i > i))) {
        best[j] = best[j - 1]!;
        j--;
      }
      best[j] = { i, d };
      if (best.length > want) best.pop();
    };
    const cx = this.#col(x);
    const cy = this.#row(y);
    const maxRing = Math.max(this.#cols, this.#rows);
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let r = cy - ring; r <= cy + ring; r++) {
        if (r < 0 || r >= this.#rows) continue;
        const edge = r === cy - ring || r === cy + ring;
        for (let c = cx - ring; c <= cx + ring; c += edge ? 1 : 2 * ring) {
          if (c >= 0 && c < this.#cols) {
            const cell = r * this.#cols + c;
            for (let p = this.#start[cell]!; p < this.#start[cell + 1]!; p++) consider(this.#order[p]!);
          }
          if (ring === 0) break;
        }
      }
      if (best.length === want) {
        // Every point outside the scanned rings lies at least this far from (x, y).
        const left = x - (this.#x0 + (cx - ring) * this.#cell);
        const right = this.#x0 + (cx + ring + 1) * this.#cell - x;
        const bottom = y - (this.#y0 + (cy - ring) * this.#cell);
        const top = this.#y0 + (cy + ring + 1) * this.#cell - y;
        const reach = Math.min(left, right, bottom, top);
        if (reach > 0 && reach * reach >= best[want - 1]!.d) break;
      }
    }
    return best.map((b) => b.i);
  }
}

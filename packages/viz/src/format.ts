/** Formats a pixel coordinate with at most 2 decimals and no `-0`, identically in every JS engine. */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * "epoch e/E" as the progress line and the save message both say it: the epoch being trained (1-based), or the
 * last one when the run is done, so the two never disagree.
 *
 * @example
 * epochLabel(0, 5, false); // 'epoch 1/5' (the first epoch is under way)
 * epochLabel(5, 5, true); // 'epoch 5/5'
 */
export function epochLabel(completed: number, epochs: number, done: boolean): string {
  return `epoch ${Math.max(1, Math.min(completed + (done ? 0 : 1), epochs))}/${epochs}`;
}

/**
 * Whole percentages that add up to exactly 100, for shares shown side by side (rounding
 * each on its own can make them add to 99 or 101). Largest remainder: every share is
 * rounded down, then the points still missing go one each to the largest remainders,
 * the earlier item first on a tie. null when the counts add up to nothing.
 */
export function wholePercents(counts: readonly number[]): number[] | null {
  const total = counts.reduce((n, c) => n + c, 0);
  if (total <= 0) return null;
  const exact = counts.map((c) => (c * 100) / total);
  const floors = exact.map(Math.floor);
  let missing = 100 - floors.reduce((n, f) => n + f, 0);
  const byRemainder = exact.map((x, i) => ({ i, remainder: x - floors[i] })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (missing <= 0) break;
    floors[i]++;
    missing--;
  }
  return floors;
}

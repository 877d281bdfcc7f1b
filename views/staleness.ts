/** Why a new preview replaced the one the person saw, with the totals that changed (before → after). */
export function describeChangedTotals(why: string, totals: [label: string, before: number, after: number][]): string {
  const changed = totals.filter(([, b, a]) => b !== a).map(([label, b, a]) => `${label} ${b} → ${a}`);
  const what = changed.length ? changed.join(', ') : 'the same totals, different details';
  return `${why} (${what}): review the new preview below and submit again.`;
}

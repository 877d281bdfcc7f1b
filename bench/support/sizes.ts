/**
 * The sizes a benchmark runs, from an environment variable ("1000,10000") or its defaults, so that a slow server
 * can run smaller ones. Refuses anything but positive integers rather than measuring nonsense.
 */
export function benchSizes(variable: string, defaults: readonly number[]): number[] {
  const given = process.env[variable];
  if (!given) return [...defaults];
  const sizes = given.split(',').map((size) => Number(size.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) {
    throw new Error(`${variable} must be positive integers separated by commas, such as 1000,10000; got "${given}".`);
  }
  return sizes;
}

/**
 * "scaling=1.08": the time per customer at the largest size over that at the smallest. 1 means linear; a job
 * whose reads grow with N (N² in all) shows it here first. `name` labels another series (the raw-driver floor's).
 */
export function scaling(perCustomerMs: ReadonlyMap<number, number>, name = 'scaling'): string {
  const sizes = [...perCustomerMs.keys()].sort((a, b) => a - b);
  const smallest = perCustomerMs.get(sizes[0] ?? 0);
  const largest = perCustomerMs.get(sizes[sizes.length - 1] ?? 0);
  return smallest && largest ? `${name}=${(largest / smallest).toFixed(2)}` : `${name}=n/a`;
}

import { stderr } from 'node:process';

/**
 * Writes a line to stderr every few seconds while long work runs, so that a slow server does not look hung.
 * Returns the function that stops it.
 */
export function reportProgress(label: string, describe: () => Promise<string> | string, everyMs = 10_000) {
  const started = performance.now();
  const timer = setInterval(async () => {
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    try {
      stderr.write(`${label}: ${await describe()} (${seconds} s)\n`);
    } catch (error) {
      stderr.write(`${label}: progress unavailable: ${(error as Error).message} (${seconds} s)\n`);
    }
  }, everyMs);
  return () => clearInterval(timer);
}

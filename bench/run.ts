import { stdout } from 'node:process';
import { ackBenchmark } from './ack';
import { copyBenchmark } from './copy';
import { latencyBenchmark } from './latency';
import { migrationsBenchmark } from './migrations';

/**
 * `npm run bench [name…]`: runs the benchmarks (all, or the named ones) against MONGODB_URI and prints their
 * figures, its summary line last, and drops the databases it made. Never part of `npm test`: figures, not
 * verdicts.
 */
export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<void>;
}

const benchmarks: Benchmark[] = [migrationsBenchmark, copyBenchmark, ackBenchmark, latencyBenchmark];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length) {
    stdout.write(`Unknown benchmark ${unknown.join(', ')}; there are: ${benchmarks.map((b) => b.name).join(', ')}.\n`);
    process.exitCode = 2;
    return;
  }
  if (!process.env.MONGODB_URI) {
    stdout.write(
      'Set MONGODB_URI to a test server first: export MONGODB_URI=$(scripts/mongo-server start --handler postgresql)\n',
    );
    process.exitCode = 1;
    return;
  }
  for (const benchmark of benchmarks.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
    stdout.write(`# ${benchmark.name}: ${benchmark.description}\n`);
    await benchmark.run();
  }
}

void main();

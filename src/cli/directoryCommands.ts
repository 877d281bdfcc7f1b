import { stderr, stdout } from 'node:process';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { cliContext } from '../accounts/context';
import { findByEmail } from '../accounts/lookup';
import { seedDirectory } from '../accounts/seed';
import { exportSnapshot } from '../accounts/snapshot/export';
import { loadSnapshotFile } from '../accounts/snapshot/load';
import { positiveInteger } from './options';
import { printLookup } from './printLookup';
import { withDatabase } from './run';

const LARGE_SEED = 10_000;

/** load, export, find, seed: the directory itself. */
export function registerDirectoryCommands(program: Command): void {
  program
    .command('load <file>')
    .description('load a directory snapshot (JSON, format v1); loading the same file twice changes nothing')
    .action(
      withDatabase(async (file: string) => {
        const result = await loadSnapshotFile(file, cliContext());
        const counts = Object.entries(result.counts)
          .map(([name, n]) => `${n} ${name}`)
          .join(', ');
        const changed = Object.values(result.changed).reduce((sum, n) => sum + n, 0);
        stdout.write(
          changed === 0
            ? `Nothing to change: the directory already matches ${file} (${counts}).\n`
            : `Loaded ${file}: ${counts}; ${changed} documents inserted or changed.\n`,
        );
      }),
    );

  program
    .command('export')
    .description('write the whole directory as a snapshot to stdout')
    .action(
      withDatabase(async () => {
        for await (const chunk of exportSnapshot()) {
          if (!stdout.write(chunk)) await new Promise((resolve) => stdout.once('drain', resolve));
        }
        stdout.write('\n');
      }),
    );

  program
    .command('find <email>')
    .description('every profile of an email on every site, with warnings')
    .option('--json', 'print JSON instead of text')
    .action(
      withDatabase(async (email: string, options: { json?: boolean }) => {
        const lookup = await findByEmail(email);
        stdout.write(`${options.json ? JSON.stringify(lookup, null, 2) : printLookup(lookup)}\n`);
      }),
    );

  program
    .command('seed')
    .description('generate a realistic, deterministic directory for tests and benchmarks (adds what is missing)')
    .requiredOption('--customers <n>', 'how many customers', positiveInteger)
    .option('--seed <s>', 'random seed; the same seed gives the same directory', positiveInteger, 1)
    .option('--sites <n>', 'how many sites (2 to 5)', positiveInteger, 3)
    .action(
      withDatabase(async (options: { customers: number; seed: number; sites: number }) => {
        const bar = options.customers >= LARGE_SEED ? new SingleBar({ stream: stderr }) : undefined;
        bar?.start(options.customers, 0);
        const summary = await seedDirectory({ ...options, onProgress: (done) => bar?.update(done) });
        bar?.stop();
        stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      }),
    );
}

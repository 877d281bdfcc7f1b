#!/usr/bin/env node
import { stderr } from 'node:process';
import { Command } from 'commander';
import { log } from '../log';
import { registerAtlassianCommands } from './atlassianCommands';
import { registerAuditCommand } from './auditCommand';
import { registerCopyCommands } from './copyCommands';
import { registerDirectoryCommands } from './directoryCommands';
import { registerJobCommands } from './jobCommands';

/** The operator CLI: everything an operator needs without Slack. `accounts --help` lists the commands. */
export function accountsProgram(): Command {
  const program = new Command('accounts')
    .description('Operate the customer account directory: load, export, inspect, migrate.')
    .showHelpAfterError();
  registerDirectoryCommands(program);
  registerJobCommands(program);
  registerCopyCommands(program);
  registerAuditCommand(program);
  registerAtlassianCommands(program);
  return program;
}

if (require.main === module) {
  // One-shot commands print their own results; only problems are logged (the worker command says more).
  if (!process.env.LOG_LEVEL) log.level = 'warn';
  accountsProgram()
    .parseAsync()
    .catch((error: Error) => {
      stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    });
}

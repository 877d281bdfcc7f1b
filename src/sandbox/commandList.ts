import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { SANDBOX_PATHS } from './paths';

/** A slash command as the Slack client knows it from the app's manifest: what the composer suggests. */
export interface CommandHint {
  command: string;
  description: string;
  usageHint: string;
}

interface ManifestCommand {
  command?: unknown;
  description?: unknown;
  usage_hint?: unknown;
}

/** The manifest's slash commands: the page offers exactly what a workspace with the app installed would. */
export async function commandHints(path = SANDBOX_PATHS.manifest): Promise<CommandHint[]> {
  const manifest = parse(await readFile(path, 'utf8')) as { features?: { slash_commands?: ManifestCommand[] } };
  return (manifest.features?.slash_commands ?? []).map((entry) => ({
    command: String(entry.command ?? ''),
    description: String(entry.description ?? ''),
    usageHint: String(entry.usage_hint ?? ''),
  }));
}

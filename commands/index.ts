import type { SlashCommandModule } from '../src/slack/handle';
import { customer } from './customer';
import { migrationStatus } from './migrationStatus';

/** Every slash command of the bot; manifest.yml declares the same list (a test checks both ways). */
export const commands: SlashCommandModule[] = [customer, migrationStatus];

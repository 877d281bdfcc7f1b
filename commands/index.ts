import type { SlashCommandModule } from '../src/slack/handle';
import { accountsAdmin } from './accountsAdmin';
import { copyCustomers } from './copyCustomers';
import { customer } from './customer';
import { makePortalOnly } from './makePortalOnly';
import { markPortalOnly } from './markPortalOnly';
import { migrateCustomer } from './migrateCustomer';
import { migrationStatus } from './migrationStatus';
import { siteAccess } from './siteAccess';

/** Every slash command of the bot; manifest.yml declares the same list (a test checks both ways). */
export const commands: SlashCommandModule[] = [
  customer,
  migrateCustomer,
  makePortalOnly,
  markPortalOnly,
  siteAccess,
  accountsAdmin,
  copyCustomers,
  migrationStatus,
];

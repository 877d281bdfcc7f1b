import type { Model } from 'mongoose';
import {
  AccountSite,
  type AccountSiteDoc,
  AtlassianAccount,
  type AtlassianAccountDoc,
  CustomerRequest,
  Group,
  Organization,
  PortalCustomer,
  Site,
} from '../models';
import { accountRecord, groupRecord, portalCustomerRecord, requestRecord, siteRecord } from './records';

/**
 * `accounts export`: the whole directory as snapshot text, streamed collection by collection in natural-key
 * order, so memory stays flat for any size and two exports of the same directory are byte-identical. The text
 * is exactly what JSON.stringify(snapshot, null, 2) would print (no trailing newline).
 */

const INDENT = '  ';
const BATCH = 1000;
const indented = (value: unknown, depth: number) =>
  JSON.stringify(value, null, 2).replaceAll('\n', `\n${INDENT.repeat(depth)}`);

const sortedCursor = <T>(model: Model<T>, sort: Record<string, 1>) =>
  model.find().sort(sort).lean<T[]>().cursor({ batchSize: BATCH }) as AsyncIterable<T>;

async function* jsonArray<R>(name: string, records: AsyncIterable<R>, last = false) {
  let first = true;
  yield `${INDENT}"${name}": [`;
  for await (const record of records) {
    yield `${first ? '' : ','}\n${INDENT.repeat(2)}${indented(record, 2)}`;
    first = false;
  }
  yield `${first ? '' : `\n${INDENT}`}]${last ? '' : ','}\n`;
}

async function* mapped<T, R>(docs: AsyncIterable<T>, toRecord: (doc: T) => R | Promise<R>) {
  for await (const doc of docs) yield await toRecord(doc);
}

/**
 * Accounts joined with their site entries. Both are read in id order and entry ids start with the account id,
 * so one pass over each cursor pairs them up.
 */
async function* accountRecords() {
  const entries = sortedCursor(AccountSite, { _id: 1 })[Symbol.asyncIterator]();
  let next = await entries.next();
  for await (const account of sortedCursor<AtlassianAccountDoc>(AtlassianAccount, { _id: 1 })) {
    const own: AccountSiteDoc[] = [];
    while (!next.done && next.value.account <= account._id) {
      if (next.value.account === account._id) own.push(next.value);
      next = await entries.next();
    }
    yield accountRecord(account, own);
  }
}

/** Group members, read from the site entries that hold the memberships. */
async function membersOf(site: string, name: string): Promise<string[]> {
  const entries = await AccountSite.find({ site, groups: name }, { account: 1 }).lean();
  return entries.map((entry) => entry.account);
}

export async function* exportSnapshot(): AsyncGenerator<string> {
  const organization = await Organization.findOne().lean();
  yield '{\n';
  yield `${INDENT}"version": 1,\n`;
  yield `${INDENT}"organization": ${indented(organization ? { id: organization._id, name: organization.name } : null, 1)},\n`;
  yield* jsonArray('sites', mapped(sortedCursor(Site, { _id: 1 }), siteRecord));
  yield* jsonArray('portalCustomers', mapped(sortedCursor(PortalCustomer, { _id: 1 }), portalCustomerRecord));
  yield* jsonArray('accounts', accountRecords());
  yield* jsonArray(
    'groups',
    mapped(sortedCursor(Group, { site: 1, name: 1 }), async (g) => groupRecord(g, await membersOf(g.site, g.name))),
  );
  yield* jsonArray('requests', mapped(sortedCursor(CustomerRequest, { site: 1, key: 1 }), requestRecord), true);
  yield '}';
}

export async function exportSnapshotText(): Promise<string> {
  let text = '';
  for await (const chunk of exportSnapshot()) text += chunk;
  return text;
}

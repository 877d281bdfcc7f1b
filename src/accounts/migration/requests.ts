import type { AnyBulkWriteOperation } from 'mongodb';
import { bulkWrite } from '../../db/bulk';
import { CustomerRequest, type RequestDoc } from '../models';

/** The requests of a site reported by, or involving, each of the given principals (keys, by principal). */
export async function requestsOf(site: string, principals: readonly string[]) {
  const reported = new Map<string, string[]>();
  const participating = new Map<string, string[]>();
  if (principals.length === 0) return { reported, participating };
  const add = (map: Map<string, string[]>, principal: string, key: string) =>
    map.set(principal, [...(map.get(principal) ?? []), key]);
  // One query for both: each is a scan of the site's requests on FerretDB v1 ($in is not indexed there).
  const involved = await CustomerRequest.find(
    { site, $or: [{ reporter: { $in: principals } }, { participants: { $in: principals } }] },
    { key: 1, reporter: 1, participants: 1 },
  )
    .sort({ key: 1 })
    .lean();
  const wanted = new Set(principals);
  for (const r of involved) {
    if (wanted.has(r.reporter)) add(reported, r.reporter, r.key);
    for (const p of r.participants) if (wanted.has(p)) add(participating, p, r.key);
  }
  return { reported, participating };
}

export interface RequestMove {
  site: string;
  from: string;
  to: string;
}

/** How many principals' requests are looked up at once (each lookup is one indexed equality query). */
const LOOKUPS_AT_ONCE = 8;

/**
 * Moves a site's requests from principals to others, in bulk. The requests they report or take part in are
 * read at the time of the move, so a request raised since the plan moves too and none is left on a deactivated
 * profile: two equality queries per principal (site and reporter, site and participant), which FerretDB filters
 * in SQL through an index, where one `$in` or `$or` for all of them would read the site's every request, once
 * per chunk. Every update then names its request by _id alone: FerretDB v1 scans the collection for any other
 * filter. Each update is idempotent; the new participant is added before the old one is removed.
 */
export async function moveRequests(moves: readonly RequestMove[]): Promise<void> {
  if (moves.length === 0) return;
  const ops: AnyBulkWriteOperation<RequestDoc>[] = [];
  const lookup = async ({ site, from, to }: RequestMove) => {
    const [reported, participating] = await Promise.all([
      CustomerRequest.find({ site, reporter: from }, { _id: 1 }).lean(),
      CustomerRequest.find({ site, participants: from }, { _id: 1 }).lean(),
    ]);
    for (const { _id } of reported) ops.push({ updateOne: { filter: { _id }, update: { $set: { reporter: to } } } });
    for (const { _id } of participating) {
      ops.push(
        { updateOne: { filter: { _id }, update: { $addToSet: { participants: to } } } },
        { updateOne: { filter: { _id }, update: { $pull: { participants: from } } } },
      );
    }
  };
  for (let i = 0; i < moves.length; i += LOOKUPS_AT_ONCE) {
    await Promise.all(moves.slice(i, i + LOOKUPS_AT_ONCE).map(lookup));
  }
  await bulkWrite(CustomerRequest, ops, { ordered: true });
}

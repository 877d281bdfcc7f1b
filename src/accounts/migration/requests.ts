import type { AnyBulkWriteOperation } from 'mongodb';
import { bulkWrite } from '../../db/bulk';
import { CustomerRequest, type RequestDoc, requestId } from '../models';

/** The requests of a site reported by, or involving, each of the given principals (keys, by principal). */
export async function requestsOf(site: string, principals: readonly string[]) {
  const reported = new Map<string, string[]>();
  const participating = new Map<string, string[]>();
  if (principals.length === 0) return { reported, participating };
  const add = (map: Map<string, string[]>, principal: string, key: string) =>
    map.set(principal, [...(map.get(principal) ?? []), key]);
  const [byReporter, byParticipant] = await Promise.all([
    CustomerRequest.find({ site, reporter: { $in: principals } }, { key: 1, reporter: 1 })
      .sort({ key: 1 })
      .lean(),
    CustomerRequest.find({ site, participants: { $in: principals } }, { key: 1, participants: 1 })
      .sort({ key: 1 })
      .lean(),
  ]);
  const wanted = new Set(principals);
  for (const r of byReporter) add(reported, r.reporter, r.key);
  for (const r of byParticipant) for (const p of r.participants) if (wanted.has(p)) add(participating, p, r.key);
  return { reported, participating };
}

export interface RequestMove {
  site: string;
  from: string;
  to: string;
  /** Keys of the requests where `from` is a participant, as planned. */
  participantOf: readonly string[];
}

/**
 * Moves a site's requests from principals to others, in bulk. The reporters' requests are read at the time of
 * the move, in one query for all moves, so a request raised since the plan moves too and none is left on a
 * deactivated profile; each is then updated by id, because FerretDB v1 scans the whole collection for every
 * update that is not by _id (one such update per customer cost 100 ms at 10,000 customers). Participant entries
 * move on the planned requests. Each step is conditional on the old principal, hence idempotent; the new
 * participant is added before the old one is removed.
 */
export async function moveRequests(moves: readonly RequestMove[]): Promise<void> {
  if (moves.length === 0) return;
  const principal = (site: string, id: string) => `${site} ${id}`;
  const destination = new Map(moves.map((m) => [principal(m.site, m.from), m.to]));
  const reported = await CustomerRequest.find(
    { site: { $in: [...new Set(moves.map((m) => m.site))] }, reporter: { $in: moves.map((m) => m.from) } },
    { site: 1, reporter: 1 },
  ).lean();
  const ops: AnyBulkWriteOperation<RequestDoc>[] = reported.flatMap((r): AnyBulkWriteOperation<RequestDoc>[] => {
    const to = destination.get(principal(r.site, r.reporter));
    return to
      ? [{ updateOne: { filter: { _id: r._id, reporter: r.reporter }, update: { $set: { reporter: to } } } }]
      : [];
  });
  for (const { site, from, to, participantOf } of moves) {
    for (const key of participantOf) {
      const filter = { _id: requestId(site, key), participants: from };
      ops.push(
        { updateOne: { filter, update: { $addToSet: { participants: to } } } },
        { updateOne: { filter, update: { $pull: { participants: from } } } },
      );
    }
  }
  await bulkWrite(CustomerRequest, ops, { ordered: true });
}

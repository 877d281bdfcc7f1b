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
 * Moves a site's requests from one principal to another. Reporters move by matching the principal, so a request
 * raised since the plan moves too and none is left on a deactivated profile. Participant entries move on the
 * planned requests, by id (FerretDB cannot narrow an update by an array element without scanning). Each step is
 * idempotent; the new participant is added before the old one is removed.
 */
export function moveRequestOps(move: RequestMove): AnyBulkWriteOperation<RequestDoc>[] {
  const { site, from, to } = move;
  return [
    { updateMany: { filter: { site, reporter: from }, update: { $set: { reporter: to } } } },
    ...move.participantOf.flatMap((key): AnyBulkWriteOperation<RequestDoc>[] => {
      const filter = { _id: requestId(site, key), participants: from };
      return [
        { updateOne: { filter, update: { $addToSet: { participants: to } } } },
        { updateOne: { filter, update: { $pull: { participants: from } } } },
      ];
    }),
  ];
}

export async function moveRequests(moves: readonly RequestMove[]): Promise<void> {
  await bulkWrite(CustomerRequest, moves.flatMap(moveRequestOps), { ordered: true });
}

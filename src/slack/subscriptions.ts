import { model, Schema } from 'mongoose';
import { recordAudit } from '../accounts/audit';
import type { OperationContext } from '../accounts/context';
import { conflict } from '../accounts/errors';
import { requireSite } from '../accounts/sites';
import { insertOnce } from '../db/insertMissing';

/**
 * Channels that hear about a site: 'notifications' get job completions and batch progress; 'approvals' get the
 * review cards of imported groups.
 */
export type SubscriptionKind = 'notifications' | 'approvals';

export interface ChannelSubscriptionDoc {
  _id: string; // <channel>/<site>/<kind>
  channel: string;
  site: string;
  kind: SubscriptionKind;
  createdBy: string;
  createdAt: Date;
}

const schema = new Schema<ChannelSubscriptionDoc>(
  {
    _id: String,
    channel: { type: String, required: true },
    site: { type: String, required: true },
    kind: { type: String, enum: ['notifications', 'approvals'], required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ site: 1, kind: 1 });

export const ChannelSubscription = model<ChannelSubscriptionDoc>('ChannelSubscription', schema, 'channelSubscriptions');

export async function subscribe(channel: string, site: string, kind: SubscriptionKind, context: OperationContext) {
  await requireSite(site);
  const subscription = {
    _id: `${channel}/${site}/${kind}`,
    channel,
    site,
    kind,
    createdBy: context.actor.id,
    createdAt: new Date(),
  };
  if (!(await insertOnce(ChannelSubscription, subscription)))
    throw conflict(`<#${channel}> already gets ${kind} for ${site}.`);
  await recordAudit(context, {
    action: 'subscription.add',
    target: channel,
    site,
    summary: `Subscribed ${channel} to ${kind} of ${site}.`,
  });
}

export async function unsubscribe(channel: string, site: string, kind: SubscriptionKind, context: OperationContext) {
  const result = await ChannelSubscription.deleteOne({ _id: `${channel}/${site}/${kind}` });
  if (result.deletedCount === 0) throw conflict(`<#${channel}> does not get ${kind} for ${site}.`);
  await recordAudit(context, {
    action: 'subscription.remove',
    target: channel,
    site,
    summary: `Unsubscribed ${channel} from ${kind} of ${site}.`,
  });
}

export async function channelsFor(site: string, kind: SubscriptionKind): Promise<string[]> {
  const subs = await ChannelSubscription.find({ site, kind }, { channel: 1 }).sort({ _id: 1 }).lean();
  return subs.map((s) => s.channel);
}

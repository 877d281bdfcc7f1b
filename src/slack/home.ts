import type { App, webApi } from '@slack/bolt';
import { undeliveredLines } from '../../views/deliveryViews';
import { homeNotice, homeView, type PendingApproval } from '../../views/home';
import { AccountSite, Group, Site } from '../accounts/models';
import { siteWarnings } from '../accounts/siteWarnings';
import { jobOverview } from '../jobs/overview';
import { botUserOf } from './botUser';
import { sentenceFor } from './handle';
import { undeliveredOn } from './notifier/undelivered';
import { readableSites } from './readableSites';
import { rolesOf, satisfies } from './roles';

const APPROVALS_SHOWN = 10;

/** Imported groups waiting for an approver on these sites, with their member counts. */
async function pendingApprovals(sites: string[], user: string): Promise<PendingApproval[]> {
  const roles = await rolesOf(user);
  const groups = await Group.find({ site: { $in: sites }, origin: 'imported', 'review.state': 'pending' })
    .sort({ _id: 1 })
    .limit(APPROVALS_SHOWN)
    .lean();
  return Promise.all(
    groups.map(async (group) => ({
      groupId: group._id,
      canReview: satisfies(roles, { role: 'approver', site: group.site }),
      site: group.site,
      group: group.name,
      sourceSite: group.review?.sourceSite ?? '',
      memberCount: await AccountSite.countDocuments({ site: group.site, groups: group.name }),
    })),
  );
}

/** Publishes the person's App Home: pending approvals, jobs and warnings of the sites they may read. */
export async function publishHome(client: webApi.WebClient, user: string): Promise<void> {
  try {
    const readable = await readableSites(user);
    if (readable?.length === 0) {
      const text = 'You have no role with this bot yet; an org-admin can grant you one with /accounts-admin.';
      await client.views.publish({ user_id: user, view: homeNotice(text) });
      return;
    }
    const sites = readable ?? (await Site.find({}, { _id: 1 }).sort({ _id: 1 }).lean()).map((s) => s._id);
    const [approvals, jobs, warnings, undelivered, bot] = await Promise.all([
      pendingApprovals(sites, user),
      jobOverview(readable),
      Promise.all(sites.map((site) => siteWarnings(site))),
      undeliveredOn(readable),
      botUserOf(client),
    ]);
    await client.views.publish({
      user_id: user,
      view: homeView({
        sites,
        approvals,
        jobs,
        warnings,
        undelivered: undeliveredLines(undelivered, bot),
        now: new Date(),
      }),
    });
  } catch (error) {
    await client.views.publish({ user_id: user, view: homeNotice(sentenceFor(error)) });
  }
}

/** Slack sends app_home_opened each time someone opens the tab (Bolt acks events before listeners run). */
export function registerHome(app: App): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(client, event.user);
  });
}

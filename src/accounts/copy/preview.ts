import { createHash } from 'node:crypto';
import { emailKey } from '../email';
import {
  addCopyCounts,
  type CopyCounts,
  type CopyPlan,
  type CopyRequest,
  copyCounts,
  emptyCopyCounts,
  NEEDS_ACTION,
} from './plan';
import { copyPlanner } from './planner';
import { copyTargets } from './targets';

/** What a copy would do, without writing anything: counts per case, a sample and a fingerprint. */
export interface CopyPreview {
  request: CopyRequest;
  customers: number;
  planned: number;
  refused: number;
  counts: CopyCounts;
  /** The first customers the copy changes, for people to read; counts cover all. */
  sample: CopyPlan[];
  /** The first customers who will need an action after the copy (rows of RequiresAttention.csv). */
  attention: CopyPlan[];
  refusals: { email: string; refused: string }[];
  /** Changes when anything the copy would do changes; a stale confirmation is detected by comparing it. */
  fingerprint: string;
}

const PLAN_CHUNK = 1000;

/** Plans every customer with the job's planner, chunk by chunk, keeping only counts and samples. */
export async function previewCopy(request: CopyRequest, sampleSize = 10): Promise<CopyPreview> {
  const emails = await copyTargets(request);
  const hash = createHash('sha256').update(JSON.stringify(request));
  const preview: CopyPreview = {
    request,
    customers: emails.length,
    planned: 0,
    refused: 0,
    counts: emptyCopyCounts(),
    sample: [],
    attention: [],
    refusals: [],
    fingerprint: '',
  };
  const planner = await copyPlanner(request, emails.length > PLAN_CHUNK);
  try {
    for (let i = 0; i < emails.length; i += PLAN_CHUNK) {
      const chunk = emails.slice(i, i + PLAN_CHUNK);
      const outcomes = await planner.plan(chunk);
      for (const email of chunk) {
        const outcome = outcomes.get(emailKey(email));
        if (!outcome) continue;
        hash.update(JSON.stringify([emailKey(email), outcome]));
        if ('refused' in outcome) {
          preview.refused++;
          if (preview.refusals.length < sampleSize) preview.refusals.push({ email, refused: outcome.refused });
          continue;
        }
        const plan = outcome.plan;
        preview.planned++;
        addCopyCounts(preview.counts, copyCounts(plan));
        if (plan.case !== 'already-on-destination' && preview.sample.length < sampleSize) preview.sample.push(plan);
        if (NEEDS_ACTION.includes(plan.case) && preview.attention.length < sampleSize) preview.attention.push(plan);
      }
    }
  } finally {
    await planner.close();
  }
  preview.fingerprint = hash.digest('hex').slice(0, 16);
  return preview;
}

/**
 * A campaign's schedule if nobody ever answers, for a sample contact in a zone: the saved
 * policy, or a draft being edited (validated like a saved one), with the workspace's calling
 * rules and days off. The campaign must be in the caller's scope.
 */

import type { PreviewJson } from '../contracts/settings.js';
import { cadencePolicySchema } from '../core/cadence/policy.js';
import { previewSchedule } from '../core/cadence/preview.js';
import type { Urgency } from '../core/cadence/types.js';
import { isValidZone } from '../core/time/zoned.js';
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import { workspaceOfUser } from '../store/workspace-repo.js';
import { workspaceRules } from './cadence-context.js';
import { campaignDetail } from './campaigns.js';
import { invalid } from './errors.js';

export interface PreviewRequest {
  zone?: string | undefined;
  from?: string | undefined;
  kind: 'business' | 'consumer';
  arm: 'leave' | 'skip';
  urgency?: Urgency | undefined;
  policy?: string | undefined;
}

export async function campaignPreview(
  store: Store,
  actor: User,
  campaignId: number,
  request: PreviewRequest,
  now: number,
): Promise<PreviewJson> {
  const campaign = await campaignDetail(store.db, actor, campaignId);
  const workspace = await workspaceOfUser(store.db, actor);
  const rules = workspaceRules(workspace);
  const zone = request.zone ?? rules.zone;
  if (!isValidZone(zone)) throw invalid(`not an IANA time zone: ${zone}`, '/zone');
  let draft: unknown = campaign.policy;
  if (request.policy !== undefined) {
    try {
      draft = JSON.parse(request.policy);
    } catch {
      throw invalid('the draft policy is not JSON', '/policy');
    }
  }
  const parsed = cadencePolicySchema.safeParse(draft);
  if (!parsed.success) {
    throw invalid(
      `the draft policy is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      parsed.error.issues.map((i) => ({ path: `/policy/${i.path.join('/')}`, message: i.message })),
    );
  }
  const preview = previewSchedule({
    policy: parsed.data,
    urgency: request.urgency ?? (campaign.urgency as Urgency),
    zone,
    kind: request.kind,
    stateRules: rules.stateRules,
    holidays: rules.holidays,
    calendar: rules.calendar,
    from: request.from ? Date.parse(request.from) : now,
    arm: request.arm,
  });
  return {
    zone,
    calls: preview.calls.map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
    endState: preview.endState,
    end: preview.end,
  };
}

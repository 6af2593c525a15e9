/**
 * Activities: every piece of I/O a case workflow needs. Thin and idempotent: keyed upserts, duplicate keys treated
 * as success, and a non-retryable failure for input that can never succeed.
 *
 * Over 400 lines because the worker registers one object built over shared dependencies (store, sealer,
 * senders); the larger activities live in their own files (notices.ts, reply.ts, webhooks.ts, sms.ts).
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { computeDeadline, type Deadline } from '../domain/calendar';
import { DEFAULT_LANG, message } from '../domain/i18n';
import { workingDayReminders, type ReminderSpread } from '../domain/reminders';
import { regionChain, type Directory, type RoutingRule, type Unit } from '../domain/directory';
import {
  RoutingError,
  commonSuperior,
  petitionOfficeFor,
  escalationTarget,
  reviewUnitFor,
  routeCase as decideRoute,
  type RoutingDecision,
} from '../domain/routing';
import type { Kind, Stage } from '../domain/types';
import { END_STAGES } from '../domain/types';
import { loadLegalCalendar } from '../store/calendar';
import { insertNew, isDuplicateKey, setCaseProgress, unknownUnitCodes, type Store } from '../store/models';
import { accusedUnitsOf, type IntakeRecord } from '../store/intake-record';
import { noteCaseCodes } from '../store/tracking-codes';
import type { Sealer } from '../store/sealed';
import { checkHotspot } from '../similarity/hotspots';
import { indexCase } from '../similarity/matter-index';
import type { DeadlineRequest, EscalationTargetInput, ProgressInput, RecordCaseResult, ReplyInput } from './types';
import { activityFailure } from './failures';
import { noticeActivities } from './notices';
import { composeReply } from './reply';
import type { SmsSender } from './sms';
import type { WebhookAllowlist } from '../outbound/webhook-targets';
import { deliverWebhook } from './webhooks';

export interface ActivityDeps {
  store: Store;
  sealer: Sealer;
  /** Sends an e-mail when SMTP is configured; resolves to false when it is not. */
  sendMail?: (message: { to: string; subject: string; text: string }) => Promise<boolean>;
  /** Non-public webhook targets the admin allows (`XINFANG_WEBHOOK_ALLOW`); none by default. */
  webhookAllowlist?: WebhookAllowlist;
  /** Sends an SMS through the provider (`XINFANG_SMS_URL`); absent when none is configured. */
  sendSms?: SmsSender;
  /**
   * When reminders land on their working day, Asia/Shanghai `HH:MM[:SS]` (`XINFANG_REMINDER_TIME`); 09:00 by default.
   * Read at each deadline computed, so a change applies to the deadlines computed after it.
   */
  reminderTime?: string;
  /**
   * Seconds after the reminder time over which cases' reminders are spread (`XINFANG_REMINDER_SPREAD`, in minutes
   * there); none when absent. Each case keeps one offset, from its workflow ID (domain/reminders.ts).
   */
  reminderSpread?: number;
}

/** The spread for the case whose activity this is; none outside an activity (a test calling the function). */
function reminderSpreadOf(seconds: number | undefined): ReminderSpread | undefined {
  if (!seconds) return undefined;
  let seed: string | undefined;
  try {
    seed = Context.current().info.workflowExecution?.workflowId;
  } catch {
    return undefined;
  }
  return seed ? { seconds, seed } : undefined;
}

export function createActivities(deps: ActivityDeps) {
  const { store, sealer, sendMail, webhookAllowlist, sendSms } = deps;
  async function loadDirectory(): Promise<Directory> {
    const [units, rules] = await Promise.all([
      store.units.find().lean(),
      store.routingRules.find().sort({ order: 1 }).lean(),
    ]);
    return {
      units: units.map((u): Unit => ({
        code: u._id,
        name: u.name,
        level: u.level as Unit['level'],
        regionCode: u.regionCode,
        parentCode: u.parentCode ?? undefined,
        kinds: (u.kinds ?? []) as Kind[],
        role: (u.role ?? undefined) as Unit['role'],
      })),
      rules: rules.map((r): RoutingRule => ({
        id: r._id,
        kinds: r.kinds?.length ? (r.kinds as Kind[]) : undefined,
        categories: r.categories?.length ? r.categories : undefined,
        regionPrefix: r.regionPrefix ?? undefined,
        level: (r.level ?? undefined) as RoutingRule['level'],
        unitCode: r.unitCode,
        priority: r.priority ?? undefined,
      })),
    };
  }

  function routingFailure(error: unknown): never {
    if (error instanceof RoutingError) {
      throw activityFailure(error.detail, { type: 'BusinessRule', nonRetryable: true, cause: error });
    }
    // An escalation level below 1: the workflow's own mistake, refused like a rule so the case keeps running.
    if (error instanceof RangeError) throw ApplicationFailure.nonRetryable(error.message, 'BusinessRule');
    throw error;
  }

  /**
   * Which earlier case of the same matter a new one may join: one of the same family (a report with reports, any
   * other kind with the others), and for a report only a case whose holders are neither accused nor below an
   * accused unit — the holder's superiors are the units its supervision and review would reach.
   */
  async function repeatGuard(record: IntakeRecord) {
    const isReport = record.kind === 'report';
    const accused = isReport ? accusedUnitsOf(record.accused) : [];
    const directory = accused.length > 0 ? await loadDirectory() : undefined;
    const reaches = (unitCode: string): string[] => {
      const chain = [unitCode];
      for (let u = directory?.units.find((x) => x.code === unitCode); u?.parentCode;) {
        if (chain.includes(u.parentCode)) break;
        chain.push(u.parentCode);
        u = directory?.units.find((x) => x.code === u!.parentCode);
      }
      return chain;
    };
    return (earlier: { kind?: string | null; units?: string[]; leadUnit?: string | null }): boolean => {
      if ((earlier.kind === 'report') !== isReport) return false;
      const holders = [...(earlier.units ?? []), ...(earlier.leadUnit ? [earlier.leadUnit] : [])];
      return !holders.some((holder) => reaches(holder).some((unit) => accused.includes(unit)));
    };
  }

  return {
    ...noticeActivities({ store, sendMail, sendSms }),

    /**
     * Writes the case record from the sealed intake, adds it to the similarity index (digests only) and looks for an
     * earlier case of the same petitioner and subject.
     */
    async recordCase(input: { caseId: string; sealedRecord: string }): Promise<RecordCaseResult> {
      const record = sealer.unseal<IntakeRecord>(input.sealedRecord);
      // Whether this call wrote the record: if it did, no earlier call reached the index appends below. (Not the
      // attempt number: a local activity's attempts count afresh in each workflow task that runs it.)
      let first = true;
      try {
        await store.cases.create({ ...record, _id: input.caseId, listsEntries: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        first = false;
      }
      // The API noted them at intake unless MongoDB was away then, or the replica stopped before it could.
      await noteCaseCodes(store, input.caseId, record);
      await insertNew(store.timeline, [
        {
          _id: `${input.caseId}:registered`,
          caseId: input.caseId,
          at: new Date(record.registeredAt),
          type: 'registered',
          detail: { channel: record.channel, kind: record.kind, profileId: record.profileId },
        },
      ]);
      await indexCase({ store, sealer }, { ...record, caseId: input.caseId }, { fresh: first });
      if (!record.repeatKey) return {};
      const registeredAt = new Date(record.registeredAt);
      const group = await joinRepeatGroup(store, record.repeatKey, input.caseId, registeredAt);
      // Only an earlier case can absorb a later one, so two simultaneous intakes never merge into each other; cases
      // registered in the same millisecond are ordered by case ID.
      const rank = (c: { caseId: string; registeredAt: Date }) => `${c.registeredAt.toISOString()} ${c.caseId}`;
      const mine = rank({ caseId: input.caseId, registeredAt });
      const earlierIds = group
        .filter((c) => rank(c) < mine)
        .sort((a, b) => (rank(a) < rank(b) ? -1 : 1))
        .map((c) => c.caseId);
      const earlier = (await Promise.all(earlierIds.map((id) => store.cases.findById(id).lean()))).filter(
        (c) => c !== null,
      );
      // Earlier repeats ended as `merged` or `not_accepted` themselves: look past them to the case that counts, the
      // open one (the oldest, which absorbed the others), else the last terminated one. A report joins only a report
      // that none of the units it accuses holds (Art 30): merging it anywhere else would hand it to the accused.
      const mayJoin = await repeatGuard(record);
      const isOpen = (c: (typeof earlier)[number]) => !END_STAGES.includes(c.stage as Stage);
      const candidates = earlier.filter(mayJoin);
      const match = candidates.find(isOpen) ?? [...candidates].reverse().find((c) => c.stage === 'terminated');
      if (!match) return {};
      const stage = match.stage as Stage;
      return { repeatOf: { caseId: match._id, stage, open: isOpen(match), overdue: match.overdue ?? false } };
    },

    /** Computes deadlines against the holiday calendar in force now (built-in years, corrected by admins). */
    async computeDeadlines(requests: DeadlineRequest[]): Promise<Deadline[]> {
      const calendar = await loadLegalCalendar(store);
      const spread = reminderSpreadOf(deps.reminderSpread);
      return requests.map(({ reminders, label, ...request }) => {
        let deadline: Deadline;
        try {
          deadline = computeDeadline(request, calendar);
        } catch (error) {
          // Input no calendar can count (a start in year 0042): retrying cannot help; the case is told at once.
          const reason = (error as Error).message;
          throw activityFailure(
            message('activity.deadlineUncomputable', { clock: request.clock, startedAt: request.startedAt, reason }),
            { type: 'BadInput', nonRetryable: true },
          );
        }
        return reminders
          ? {
              ...deadline,
              reminders: workingDayReminders(
                deadline,
                reminders,
                calendar,
                label,
                DEFAULT_LANG,
                deps.reminderTime,
                spread,
              ),
            }
          : deadline;
      });
    },

    async routeCase(input: {
      kind: Kind;
      category: string;
      regionCode: string;
      accusedUnits: string[];
      /** Units recused for an interest in the case (Art 28); absent in requests made before recusal existed. */
      recusedUnits?: string[];
    }): Promise<RoutingDecision> {
      try {
        return decideRoute(
          {
            kind: input.kind,
            category: input.category,
            regionCode: input.regionCode,
            accused: { units: input.accusedUnits },
            recused: input.recusedUnits,
          },
          await loadDirectory(),
        );
      } catch (error) {
        routingFailure(error);
      }
    },

    async findEscalationTarget(input: EscalationTargetInput): Promise<{ unitCode: string; reason: string } | null> {
      try {
        return (
          escalationTarget(input.unitCode, input.level, await loadDirectory(), { units: input.accusedUnits }) ?? null
        );
      } catch (error) {
        routingFailure(error);
      }
    },

    /** Art 35: review by the next-higher unit, never a guarded one (Art 28, 30): `accusedUnits` are all skipped. */
    async findReviewUnit(input: { unitCode: string; accusedUnits: string[] }): Promise<string | null> {
      try {
        const directory = await loadDirectory();
        let candidate = reviewUnitFor(input.unitCode, directory);
        while (candidate && input.accusedUnits.includes(candidate)) candidate = reviewUnitFor(candidate, directory);
        return candidate ?? null;
      } catch (error) {
        routingFailure(error);
      }
    },

    /** Art 24: units that dispute a case are decided by their common superior, never a guarded one (Art 28, 30). */
    async findCommonSuperior(input: { unitCodes: string[]; guardedUnits?: string[] }): Promise<string | null> {
      try {
        return commonSuperior(input.unitCodes, await loadDirectory(), input.guardedUnits) ?? null;
      } catch (error) {
        routingFailure(error);
      }
    },

    /**
     * 矛盾纠纷排查: whether this case's matter just became a hotspot in its region. The warning to the office is
     * written once per group, under the group's alert key, whichever case crossed the threshold; the case queues the
     * webhook for it. Codes and counts only.
     */
    async checkHotspot(caseId: string): Promise<{ alertKey: string; count: number } | null> {
      const check = await checkHotspot({ store, sealer }, caseId);
      const group = check?.crossed ? check.group : undefined;
      if (!check || !group) return null;
      const { threshold } = check;
      await insertNew(store.outbox, [
        {
          _id: check.alertKey,
          caseId,
          kind: 'hotspot',
          recipient: 'office',
          payload: {
            count: group.count,
            regionCode: group.regionCode,
            category: group.category,
            caseIds: group.caseIds,
            windowDays: threshold.windowDays,
            minCases: threshold.minCases,
          },
          createdAt: new Date(),
        },
      ]);
      return { alertKey: check.alertKey, count: group.count };
    },

    /** Where an earlier case stands, for the office's decision on a repeat (Art 19, 36): from its projection. */
    async caseStanding(caseId: string): Promise<{ stage: Stage; open: boolean; overdue: boolean } | null> {
      const doc = await store.cases.findById(caseId, { stage: 1, overdue: 1 }).lean();
      if (!doc) return null;
      const stage = doc.stage as Stage;
      return { stage, open: !END_STAGES.includes(stage), overdue: doc.overdue ?? false };
    },

    /** The petition office of a region (or the nearest above), and the one a level above it (Art 25). */
    async findPetitionOffices(regionCode: string): Promise<{ own?: string; above?: string }> {
      const directory = await loadDirectory();
      const own = petitionOfficeFor(regionCode, directory);
      const ownRegion = directory.units.find((u) => u.code === own)?.regionCode;
      const chain = ownRegion ? regionChain(ownRegion).slice(1) : [];
      const above = chain.map((region) => petitionOfficeFor(region, directory)).find((code) => code && code !== own);
      return { ...(own ? { own } : {}), ...(above ? { above } : {}) };
    },

    /** The codes that name no unit of the directory: an office cannot send a case to a unit that does not exist. */
    async findUnknownUnits(unitCodes: string[]): Promise<string[]> {
      return unknownUnitCodes(store, unitCodes);
    },

    /** Writes the case's projection, its new timeline entries and its notifications, each keyed for idempotency. */
    async recordProgress(input: ProgressInput): Promise<void> {
      const { caseId, projection } = input;
      // One round trip per collection, issued together: a retried attempt finds its timeline entries and
      // notifications already there (same keys) and skips them.
      await Promise.all([
        setCaseProgress(
          store,
          caseId,
          input.version,
          {
            stage: projection.stage,
            units: projection.units,
            leadUnit: projection.leadUnit,
            escalationLevel: projection.escalationLevel,
            nextDeadlineAt: projection.nextDeadlineAt ? new Date(projection.nextDeadlineAt) : null,
            overdue: projection.overdue,
            deadlines: projection.deadlines,
            rating: projection.rating,
            closedAt: projection.closedAt ? new Date(projection.closedAt) : null,
            ...(projection.urgent !== undefined ? { urgent: projection.urgent } : {}),
            'reply.decision': projection.decision,
          },
          input.timeline.map((entry) => entry.key),
        ),
        insertNew(
          store.timeline,
          input.timeline.map((entry) => ({
            _id: `${caseId}:${entry.key}`,
            caseId,
            at: new Date(entry.at),
            type: entry.type,
            unitCode: entry.unitCode,
            escalationLevel: entry.escalationLevel,
            detail: entry.detail,
          })),
        ),
        insertNew(
          store.outbox,
          input.notifications.map((notification) => ({
            _id: `${caseId}:${notification.key}`,
            caseId,
            kind: notification.kind,
            recipient: notification.recipient,
            payload: notification.detail ?? {},
            createdAt: new Date(input.at),
          })),
        ),
      ]);
    },

    /** Tells a unit's own system about a transfer, reminder, escalation or decision. */
    async deliverWebhook(input: { outboxId: string }) {
      return deliverWebhook(store, input.outboxId, { allowlist: webhookAllowlist });
    },

    /** Art 32: the written reply, delivered once through the outbox (and by e-mail when SMTP is configured). */
    async deliverReply(input: ReplyInput): Promise<{ deliveredAt: string; emailed: boolean }> {
      const record = await store.cases.findById(input.caseId).lean();
      if (!record) {
        throw activityFailure(message('activity.caseNotRecorded', { caseId: input.caseId }), { nonRetryable: false });
      }
      const texts = await store.actionTexts.findById(input.textsId ?? `${input.caseId}:${input.actionId}`).lean();
      const unit = await store.units.findById(input.unitCode).lean();
      const reply = composeReply({
        record,
        texts: (texts?.texts ?? {}) as Record<string, string>,
        unitName: unit?.name ?? input.unitCode,
        input,
      });
      const id = `${input.caseId}:reply:${input.round}`;
      let created = false;
      try {
        await store.outbox.create({
          _id: id,
          caseId: input.caseId,
          kind: 'reply',
          recipient: 'petitioner',
          channel: record.channel,
          payload: reply,
          createdAt: new Date(input.deliveredAt),
        });
        created = true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      await store.cases.updateOne({ _id: input.caseId }, { $set: { [`replies.${input.round}`]: reply } });
      let emailed = false;
      const email = record.petitioner?.email;
      if (sendMail && email && !input.servedAsNotice) {
        const outbox = await store.outbox.findById(id).lean();
        if (created || !outbox?.deliveredAt) {
          emailed = await sendMail({ to: email, subject: reply.title, text: reply.text });
          if (emailed) await store.outbox.updateOne({ _id: id }, { $set: { deliveredAt: new Date() } });
        }
      }
      return { deliveredAt: input.deliveredAt, emailed };
    },
  };
}

/**
 * Adds the case to its matter (once, whatever the retries) and returns the matter's cases. A case takes the first
 * free slot; losing a slot to a simultaneous intake moves it to the next one.
 */
async function joinRepeatGroup(
  store: Store,
  repeatKey: string,
  caseId: string,
  registeredAt: Date,
): Promise<{ caseId: string; registeredAt: Date }[]> {
  const members: { caseId: string; registeredAt: Date }[] = [];
  let joined = false;
  for (let slot = 0; ; slot++) {
    const _id = `${repeatKey}:${slot}`;
    let member: { caseId: string; registeredAt: Date } | null = await store.repeatMembers.findById(_id).lean();
    if (!member && !joined) {
      try {
        await store.repeatMembers.create({ _id, repeatKey, caseId, registeredAt });
        member = { caseId, registeredAt };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        member = await store.repeatMembers.findById(_id).lean();
      }
    }
    if (!member) return members;
    joined ||= member.caseId === caseId;
    members.push({ caseId: member.caseId, registeredAt: member.registeredAt });
  }
}

export type CaseActivities = ReturnType<typeof createActivities>;

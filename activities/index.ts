/**
 * Activities: every piece of I/O a case workflow needs. Thin and idempotent: keyed upserts, duplicate keys treated
 * as success, and a non-retryable failure for input that can never succeed.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Model } from 'mongoose';
import { computeDeadline, type Deadline } from '../domain/calendar';
import type { Directory, RoutingRule, Unit } from '../domain/directory';
import {
  RoutingError,
  commonSuperior,
  escalationTarget,
  reviewUnitFor,
  routeCase as decideRoute,
  type RoutingDecision,
} from '../domain/routing';
import type { Kind, Stage } from '../domain/types';
import { END_STAGES } from '../domain/types';
import { loadLegalCalendar } from '../store/calendar';
import { isDuplicateKey, setCaseProgress, type Store } from '../store/models';
import type { IntakeRecord } from '../store/intake-record';
import { noteTrackingCode } from '../store/tracking-codes';
import type { Sealer } from '../store/sealed';
import type { DeadlineRequest, EscalationTargetInput, ProgressInput, RecordCaseResult, ReplyInput } from './types';
import { composeReply } from './reply';
import type { WebhookAllowlist } from './webhook-targets';
import { deliverWebhook } from './webhooks';

export interface ActivityDeps {
  store: Store;
  sealer: Sealer;
  /** Sends an e-mail when SMTP is configured; resolves to false when it is not. */
  sendMail?: (message: { to: string; subject: string; text: string }) => Promise<boolean>;
  /** Non-public webhook targets the admin allows (`XINFANG_WEBHOOK_ALLOW`); none by default. */
  webhookAllowlist?: WebhookAllowlist;
}

export function createActivities({ store, sealer, sendMail, webhookAllowlist }: ActivityDeps) {
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
    if (error instanceof RoutingError || error instanceof RangeError) {
      throw ApplicationFailure.nonRetryable(error.message, 'BusinessRule');
    }
    throw error;
  }

  return {
    /** Writes the case record from the sealed intake and looks for an earlier case of the same matter. */
    async recordCase(input: { caseId: string; sealedRecord: string }): Promise<RecordCaseResult> {
      const record = sealer.unseal<IntakeRecord>(input.sealedRecord);
      try {
        await store.cases.create({ ...record, _id: input.caseId });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      // The API noted it at intake unless MongoDB was away then.
      await noteTrackingCode(store, record.trackingCode, input.caseId);
      await insertNew(store.timeline, [
        {
          _id: `${input.caseId}:registered`,
          caseId: input.caseId,
          at: new Date(record.registeredAt),
          type: 'registered',
          detail: { channel: record.channel, kind: record.kind, profileId: record.profileId },
        },
      ]);
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
      // open one (the oldest, which absorbed the others), else the last terminated one.
      const isOpen = (c: (typeof earlier)[number]) => !END_STAGES.includes(c.stage as Stage);
      const match = earlier.find(isOpen) ?? [...earlier].reverse().find((c) => c.stage === 'terminated');
      if (!match) return {};
      const stage = match.stage as Stage;
      return { repeatOf: { caseId: match._id, stage, open: isOpen(match) } };
    },

    /** Computes deadlines against the holiday calendar in force now (built-in years, corrected by admins). */
    async computeDeadlines(requests: DeadlineRequest[]): Promise<Deadline[]> {
      const calendar = await loadLegalCalendar(store);
      return requests.map((request) => computeDeadline(request, calendar));
    },

    async routeCase(input: {
      kind: Kind;
      category: string;
      regionCode: string;
      accusedUnits: string[];
    }): Promise<RoutingDecision> {
      try {
        return decideRoute(
          {
            kind: input.kind,
            category: input.category,
            regionCode: input.regionCode,
            accused: { units: input.accusedUnits },
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

    /** Art 35: review by the next-higher unit, never an accused one (Art 30). */
    async findReviewUnit(input: { unitCode: string; accusedUnits: string[] }): Promise<string | null> {
      const directory = await loadDirectory();
      let candidate = reviewUnitFor(input.unitCode, directory);
      while (candidate && input.accusedUnits.includes(candidate)) candidate = reviewUnitFor(candidate, directory);
      return candidate ?? null;
    },

    /** Art 24: units that dispute a case are decided by their common superior. */
    async findCommonSuperior(input: { unitCodes: string[] }): Promise<string | null> {
      return commonSuperior(input.unitCodes, await loadDirectory()) ?? null;
    },

    /** Writes the case's projection, its new timeline entries and its notifications, each keyed for idempotency. */
    async recordProgress(input: ProgressInput): Promise<void> {
      const { caseId, projection } = input;
      // One round trip per collection, issued together: a retried attempt finds its timeline entries and
      // notifications already there (same keys) and skips them.
      await Promise.all([
        setCaseProgress(store, caseId, input.version, {
          stage: projection.stage,
          units: projection.units,
          leadUnit: projection.leadUnit,
          escalationLevel: projection.escalationLevel,
          nextDeadlineAt: projection.nextDeadlineAt ? new Date(projection.nextDeadlineAt) : null,
          overdue: projection.overdue,
          deadlines: projection.deadlines,
          rating: projection.rating,
          closedAt: projection.closedAt ? new Date(projection.closedAt) : null,
          'reply.decision': projection.decision,
        }),
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
      if (!record) throw ApplicationFailure.retryable(`case ${input.caseId} has no record yet`);
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
      if (sendMail && email) {
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

/**
 * Inserts the documents in one unordered batch; those whose `_id` is already there (an earlier attempt wrote them)
 * are skipped, any other failure is thrown.
 */
async function insertNew<T>(model: Model<T>, docs: Array<Record<string, unknown> & { _id: string }>): Promise<void> {
  if (docs.length === 0) return;
  if (docs.length === 1) {
    await model.create(docs[0]).catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
    });
    return;
  }
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
    if (
      !Array.isArray(writeErrors) ||
      !writeErrors.every((e) => isDuplicateKey(e) || isDuplicateKey((e as { err?: unknown }).err))
    )
      throw error;
  }
}

export type CaseActivities = ReturnType<typeof createActivities>;

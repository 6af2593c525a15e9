import mongoose, { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

// Queries never take request values as operators.
mongoose.set('strictQuery', true);
mongoose.set('sanitizeFilter', true);

const PetitionerSchema = new Schema(
  { name: String, idNumber: String, phone: String, email: String, address: String },
  { _id: false },
);

const DeadlineSchema = new Schema(
  {
    clock: String,
    dueAt: String,
    unit: String,
    length: Number,
    startedAt: String,
    explanation: Schema.Types.Mixed,
    /** The rule counted; recomputing with a new calendar starts from it. */
    rule: Schema.Types.Mixed,
    /** The clock's key (`handling`, `coHandler:330100-GA`), who it runs against, and whether it is overdue. */
    key: String,
    holder: String,
    overdue: Boolean,
  },
  { _id: false },
);

/** The case record: the petition's content and the petitioner's identity, plus a projection of its progress. */
const CaseSchema = new Schema(
  {
    _id: String,
    caseNumber: { type: String, required: true },
    trackingCode: { type: String, required: true, unique: true },
    pinHash: { type: String, required: true },
    channel: String,
    kind: String,
    category: String,
    regionCode: String,
    profileId: String,
    subject: String,
    /** The petitioner's request (诉求); absent on older records, whose reply states the subject. */
    request: String,
    content: String,
    petitioner: PetitionerSchema,
    representatives: [PetitionerSchema],
    anonymous: Boolean,
    confidential: Boolean,
    /** Major or urgent (Art 22(1), 25): at intake, or as the office marked it since. */
    urgent: Boolean,
    /** A group petition (Art 20). */
    group: Boolean,
    /** Units by code; persons as `{ name, unitCode? }` (older records: bare names). */
    accused: { units: [String], persons: [Schema.Types.Mixed] },
    publicationConsent: { type: Boolean, default: false },
    publicId: String,
    receivedAt: Date,
    registeredAt: Date,
    intakeKeyId: String,
    /** Fingerprint of the petitioner and matter, for repeat-petition checks (Art 19, 36). */
    repeatKey: String,
    // Projection of the workflow's progress, written by activities; Temporal stays the source of truth.
    stage: { type: String, default: 'registered' },
    units: [String],
    leadUnit: String,
    escalationLevel: { type: Number, default: 0 },
    nextDeadlineAt: Date,
    overdue: { type: Boolean, default: false },
    deadlines: [DeadlineSchema],
    reply: Schema.Types.Mixed,
    /** The written replies delivered, by round: 0 reply, 1 review opinion, 2 re-review opinion. */
    replies: Schema.Types.Mixed,
    rating: String,
    closedAt: Date,
    progressVersion: { type: Number, default: 0 },
    /**
     * Set when the record is written: from then on `timelineKeys` lists the keys of the case's timeline entries after
     * `registered`, as `setCaseProgress` writes them, and the case's own entries are read by `_id`
     * (store/case-entries.ts). Records written before lack it.
     */
    listsEntries: Boolean,
    timelineKeys: { type: [String], default: undefined },
  },
  { timestamps: true, versionKey: false },
);
CaseSchema.index({ stage: 1, regionCode: 1 });
CaseSchema.index({ units: 1, nextDeadlineAt: 1 });
CaseSchema.index({ repeatKey: 1 });
CaseSchema.index({ publicId: 1 });
CaseSchema.index({ registeredAt: -1, _id: -1 });

/** One entry of a case's story. `_id` is `<caseId>:<key>`, so a retried activity never writes it twice. */
const TimelineSchema = new Schema(
  {
    _id: String,
    caseId: { type: String, required: true },
    at: { type: Date, required: true },
    type: { type: String, required: true },
    unitCode: String,
    escalationLevel: Number,
    detail: Schema.Types.Mixed,
  },
  { versionKey: false },
);
TimelineSchema.index({ caseId: 1, at: 1 });

/**
 * One case of a matter (same petitioner and subject, Art 19), in the matter's next free slot: `<repeatKey>:<slot>`.
 * Finding the cases of a matter reads slots 0, 1, … by `_id`, and taking a slot is an insert that a unique `_id`
 * makes atomic, on MongoDB and on FerretDB alike (whose updates are a read followed by a write).
 */
const RepeatMemberSchema = new Schema(
  {
    _id: String,
    repeatKey: { type: String, required: true },
    caseId: { type: String, required: true },
    registeredAt: { type: Date, required: true },
  },
  { versionKey: false },
);

/**
 * The similarity index (similarity/): lists of one-line case entries, read by `_id` alone, since FerretDB reads every
 * document for any other filter. A list is pages `<key>@<page>` summarising the slots `<key>#<n>` its writers claim
 * with inserts (similarity/buckets.ts). Entries hold codes, dates and keyed digests only.
 */
const SimilarityIndexSchema = new Schema(
  { _id: String, entries: String, count: Number, entry: String },
  { versionKey: false },
);

/**
 * One slot of a counter that every API replica shares (store/counters.ts): `<counter>:<series>:<slot>`, where the
 * series names a key and a fixed window. Taking a slot is an insert, which a unique `_id` makes atomic on MongoDB
 * and FerretDB alike; a slot is deleted once `expiresAt` has passed (no TTL index: FerretDB v1 has none).
 */
const CounterSlotSchema = new Schema(
  { _id: String, at: { type: Date, required: true }, expiresAt: { type: Date, required: true } },
  { versionKey: false },
);
CounterSlotSchema.index({ expiresAt: 1 });

/**
 * Tracking code → case ID, written by the API at intake, so a petitioner who looks the case up before its record is
 * written (or while MongoDB still has not received it) is served from the case's workflow.
 */
const TrackingCodeSchema = new Schema({ _id: String, caseId: { type: String, required: true } }, { versionKey: false });

/** Markers other replicas poll by `_id`, e.g. `api-keys`: changed with every key revocation. */
const RevisionSchema = new Schema({ _id: String, token: String, at: Date }, { versionKey: false });

/** A notification or webhook waiting to be delivered; `_id` is its idempotency key. */
const OutboxSchema = new Schema(
  {
    _id: String,
    caseId: String,
    kind: { type: String, required: true },
    recipient: { type: String, required: true },
    channel: String,
    payload: Schema.Types.Mixed,
    createdAt: { type: Date, required: true },
    deliveredAt: Date,
    attempts: { type: Number, default: 0 },
    lastError: String,
    /** Webhook delivery log: one entry per attempt. */
    deliveries: [{ _id: false, at: Date, status: Number, error: String }],
  },
  { versionKey: false },
);
OutboxSchema.index({ caseId: 1, createdAt: 1 });

/**
 * A notice to the petitioner on record (送达): the document as composed, how it goes out, and when it was served or
 * that it could not be. `_id` is `<caseId>:<kind>:<n>`; Temporal carries only this ID and the dates.
 */
const NoticeSchema = new Schema(
  {
    _id: String,
    caseId: { type: String, required: true },
    kind: { type: String, required: true },
    documentNumber: String,
    title: String,
    text: String,
    /** The NoticeDocument, to print it again (notices/pdf.ts). */
    document: Schema.Types.Mixed,
    /** `email`, `sms`, `online`, `post` or `in_person`. */
    channel: String,
    createdAt: { type: Date, required: true },
    servedAt: Date,
    /** How it was served: the channel, or `online_deemed` when the profile's online period ran out. */
    serviceMethod: String,
    undeliverable: Boolean,
    undeliverableAt: Date,
  },
  { versionKey: false },
);
NoticeSchema.index({ caseId: 1, createdAt: 1 });

/** Per issuer and year: the last sequence of a document number (发文字号). */
const NoticeNumberSchema = new Schema({ _id: String, sequence: Number }, { versionKey: false });

/**
 * The words of one action request (reasons, facts, legal basis), kept here so they never enter Temporal. `_id` is
 * `actionTextsId` (domain/ids.ts): per case, caller, action ID and request digest, so one caller's words are never
 * read for another's action, nor a refused request's for the one applied later.
 */
const ActionTextSchema = new Schema(
  {
    _id: String,
    caseId: String,
    action: String,
    actionId: String,
    caller: String,
    texts: Schema.Types.Mixed,
    createdAt: Date,
  },
  { versionKey: false },
);

const UnitSchema = new Schema(
  {
    _id: String,
    name: { type: String, required: true },
    level: { type: String, required: true },
    regionCode: { type: String, required: true },
    parentCode: String,
    kinds: [String],
    role: String,
    webhookUrl: String,
    webhookSecret: String,
  },
  { versionKey: false, timestamps: true },
);

const RoutingRuleSchema = new Schema(
  {
    _id: String,
    kinds: [String],
    categories: [String],
    regionPrefix: String,
    level: String,
    unitCode: { type: String, required: true },
    priority: Number,
    order: Number,
  },
  { versionKey: false },
);

const CalendarYearSchema = new Schema(
  { _id: Number, holidays: [String], workdays: [String], source: String, loadedAt: Date },
  { versionKey: false },
);

const ApiKeySchema = new Schema(
  {
    _id: String,
    hash: { type: String, required: true, unique: true },
    role: { type: String, required: true },
    unitCode: String,
    label: String,
    createdAt: Date,
    revokedAt: Date,
  },
  { versionKey: false },
);

export type CaseDoc = InferSchemaType<typeof CaseSchema> & { _id: string };
export type TimelineDoc = InferSchemaType<typeof TimelineSchema> & { _id: string };
export type OutboxDoc = InferSchemaType<typeof OutboxSchema> & { _id: string };
export type NoticeDoc = InferSchemaType<typeof NoticeSchema> & { _id: string };
export type NoticeNumberDoc = InferSchemaType<typeof NoticeNumberSchema> & { _id: string };
export type ActionTextDoc = InferSchemaType<typeof ActionTextSchema> & { _id: string; texts: Record<string, string> };
export type UnitDoc = InferSchemaType<typeof UnitSchema> & { _id: string };
export type RoutingRuleDoc = InferSchemaType<typeof RoutingRuleSchema> & { _id: string };
export type CalendarYearDoc = InferSchemaType<typeof CalendarYearSchema> & { _id: number };
export type ApiKeyDoc = InferSchemaType<typeof ApiKeySchema> & { _id: string };
export type RepeatMemberDoc = InferSchemaType<typeof RepeatMemberSchema> & { _id: string };
export type SimilarityIndexDoc = InferSchemaType<typeof SimilarityIndexSchema> & { _id: string };
export type CounterSlotDoc = InferSchemaType<typeof CounterSlotSchema> & { _id: string };
export type TrackingCodeDoc = InferSchemaType<typeof TrackingCodeSchema> & { _id: string };
/** Public Open311 ID → case ID, noted at intake for publishable requests so they are readable before their record. */
export type PublicIdDoc = TrackingCodeDoc;
export type RevisionDoc = InferSchemaType<typeof RevisionSchema> & { _id: string };

export interface Store {
  connection: Connection;
  cases: Model<CaseDoc>;
  timeline: Model<TimelineDoc>;
  outbox: Model<OutboxDoc>;
  notices: Model<NoticeDoc>;
  noticeNumbers: Model<NoticeNumberDoc>;
  actionTexts: Model<ActionTextDoc>;
  units: Model<UnitDoc>;
  routingRules: Model<RoutingRuleDoc>;
  calendarYears: Model<CalendarYearDoc>;
  apiKeys: Model<ApiKeyDoc>;
  repeatMembers: Model<RepeatMemberDoc>;
  similarityIndex: Model<SimilarityIndexDoc>;
  counterSlots: Model<CounterSlotDoc>;
  trackingCodes: Model<TrackingCodeDoc>;
  publicIds: Model<PublicIdDoc>;
  revisions: Model<RevisionDoc>;
}

/** Models bound to one connection, so tests and processes each own theirs. */
export function createStore(connection: Connection): Store {
  return {
    connection,
    cases: connection.model<CaseDoc>('Case', CaseSchema, 'cases'),
    timeline: connection.model<TimelineDoc>('TimelineEntry', TimelineSchema, 'timeline'),
    outbox: connection.model<OutboxDoc>('OutboxMessage', OutboxSchema, 'outbox'),
    notices: connection.model<NoticeDoc>('Notice', NoticeSchema, 'notices'),
    noticeNumbers: connection.model<NoticeNumberDoc>('NoticeNumber', NoticeNumberSchema, 'noticeNumbers'),
    actionTexts: connection.model<ActionTextDoc>('ActionText', ActionTextSchema, 'action_texts'),
    units: connection.model<UnitDoc>('Unit', UnitSchema, 'units'),
    routingRules: connection.model<RoutingRuleDoc>('RoutingRule', RoutingRuleSchema, 'routing_rules'),
    calendarYears: connection.model<CalendarYearDoc>('CalendarYear', CalendarYearSchema, 'calendar_years'),
    apiKeys: connection.model<ApiKeyDoc>('ApiKey', ApiKeySchema, 'api_keys'),
    repeatMembers: connection.model<RepeatMemberDoc>('RepeatMember', RepeatMemberSchema, 'repeat_members'),
    similarityIndex: connection.model<SimilarityIndexDoc>('SimilarityList', SimilarityIndexSchema, 'similarity_index'),
    counterSlots: connection.model<CounterSlotDoc>('CounterSlot', CounterSlotSchema, 'counter_slots'),
    trackingCodes: connection.model<TrackingCodeDoc>('TrackingCode', TrackingCodeSchema, 'tracking_codes'),
    publicIds: connection.model<PublicIdDoc>('PublicId', TrackingCodeSchema, 'public_ids'),
    revisions: connection.model<RevisionDoc>('Revision', RevisionSchema, 'revisions'),
  };
}

/**
 * Writes a case's projection if `version` is newer than the one it holds, so a late retry of an older write never
 * overwrites a newer one: a read by `_id`, then a write by `_id`. One form for every server. FerretDB (the embedded
 * default) reads the whole collection for any filter other than a lone `_id`, and applies any update as a read
 * followed by a write, so it needs this form; on MongoDB it is correct too, because the writes of one case never race
 * one another: they are made by the case's workflow, in version order, each awaited before the next change. The
 * only write that can arrive late is a retry of the same version (same content) or an attempt by a worker that
 * lost its workflow task mid-write; the read refuses it unless that read came before a newer write and its write
 * after it, and then the case's next change writes over it. MongoDB's conditional update would close that
 * moment on MongoDB alone; FerretDB cannot, and a behaviour chosen by the server's kind would go untested here.
 * The keys of the version's timeline entries are appended to the record's list with it; a late write of the same
 * version appends them again, and readers take each key once.
 */
export async function setCaseProgress(
  store: Store,
  caseId: string,
  version: number,
  fields: Record<string, unknown>,
  timelineKeys: string[] = [],
): Promise<void> {
  const current = await store.cases.findById(caseId, { progressVersion: 1 }).lean();
  if (!current || (current.progressVersion ?? 0) >= version) return;
  await store.cases.updateOne(
    { _id: caseId },
    {
      $set: { ...fields, progressVersion: version },
      ...(timelineKeys.length > 0 && { $push: { timelineKeys: { $each: timelineKeys } } }),
    },
  );
}

/** Opens a connection that keeps retrying in the background; callers don't block on MongoDB being up. */
export function connectStore(url: string): Store {
  // A socket timeout bounds an operation caught on a connection that died with its server.
  const connection = mongoose.createConnection(url, { serverSelectionTimeoutMS: 5_000, socketTimeoutMS: 20_000 });
  // Surface errors through the 'error' event rather than unhandled rejections; mongoose retries on its own.
  connection.on('error', () => undefined);
  return createStore(connection);
}

/** Whether the driver holds a connection now: callers that must not wait for MongoDB skip it when it does not. */
export function isConnected(store: Store): boolean {
  return store.connection.readyState === mongoose.ConnectionStates.connected;
}

/** Marks an operator the server wrote itself; `sanitizeFilter` would neutralise it otherwise. */
export function trusted<T extends object>(filter: T): T {
  return mongoose.trusted<T>(filter);
}

/** Treats a duplicate-key error as success: the write already happened on an earlier attempt. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * Inserts the documents in one unordered batch; those whose `_id` is already there (an earlier attempt wrote them)
 * are skipped, any other failure is thrown. Answers how many were new.
 */
export async function insertNew<T>(
  model: Model<T>,
  docs: Array<Record<string, unknown> & { _id: string }>,
): Promise<number> {
  if (docs.length === 0) return 0;
  if (docs.length === 1) {
    return model.create(docs[0]).then(
      () => 1,
      (error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
        return 0;
      },
    );
  }
  try {
    return (await model.insertMany(docs, { ordered: false })).length;
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
    if (
      !Array.isArray(writeErrors) ||
      !writeErrors.every((e) => isDuplicateKey(e) || isDuplicateKey((e as { err?: unknown }).err))
    )
      throw error;
    return docs.length - writeErrors.length;
  }
}

/** The codes that name no unit of the directory (a mistyped code would strand a case). */
export async function unknownUnitCodes(store: Store, unitCodes: readonly string[]): Promise<string[]> {
  const codes = [...new Set(unitCodes)];
  if (codes.length === 0) return [];
  const found = await store.units.find({ _id: trusted({ $in: codes }) }, { _id: 1 }).lean();
  const known = new Set(found.map((u) => u._id));
  return codes.filter((code) => !known.has(code));
}

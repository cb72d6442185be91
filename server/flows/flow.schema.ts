/**
 * The saved integration scheme (集成方案) as JSON: nodes, edges and flow-level settings.
 *
 * Why this exists: the canvas (React Flow) edits exactly this document, the server stores it as an
 * immutable FlowVersion, and the compiler turns it into a plan the engine runs. One zod schema serves
 * all three, so a document the designer can save is a document the server can load. Documents carry
 * `schemaVersion`; `migrateFlowDoc(raw)` upgrades older shapes so saved schemes keep loading.
 */
import { z } from "zod";

export const FLOW_SCHEMA_VERSION = 1 as const;

export const Position = z.object({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof Position>;

const JsonRecord = z.record(z.string(), z.unknown());

/** Retry policy for transient failures (network, 5xx, rate limits, expired sessions). */
export const RetryPolicy = z.object({
  maxAttempts: z.number().int().min(1).max(20).default(5),
  baseDelayMs: z.number().int().min(0).max(60_000).default(500),
  maxDelayMs: z.number().int().min(0).max(600_000).default(30_000),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const RateLimitOverride = z.object({
  perSecond: z.number().positive().optional(),
  perMinute: z.number().positive().optional(),
  burst: z.number().int().positive().optional(),
});
export type RateLimitOverride = z.infer<typeof RateLimitOverride>;

const nodeBase = {
  id: z.string().min(1, "节点 id 不能为空 (node id is required)"),
  position: Position.default({ x: 0, y: 0 }),
  label: z.string().optional(),
};

export const SourceData = z.object({
  /** Connection row id or name ("沙箱-管易云"); sandbox mode binds it to the local simulator */
  connectionId: z.string().min(1, "请选择来源连接 (source connection is required)"),
  /** connector api id, e.g. "guanyi.gy.erp.shop.get", "dingtalk.processinstance" */
  apiId: z.string().min(1, "请选择来源接口 (source api is required)"),
  /** request parameters; strings may be templates ({{LAST_SYNC_TIME|datetime}}, {{CURRENT_TIME|timestamp_ms}}) */
  params: JsonRecord.default({}),
  /** path of the record's unique id (ledger key), e.g. "id", "process_instance_id" */
  idField: z.string().min(1, "请填写来源 ID 字段 (id field is required)"),
  /** path of the human-readable business number (code / business_id) shown in logs */
  numberField: z.string().optional(),
  pageSize: z.number().int().positive().max(10_000).optional(),
  /** dedupe against the ledger; overrides the flow setting when set */
  idCheck: z.boolean().optional(),
  /** connector-specific options (e.g. DingTalk detail concurrency) */
  options: JsonRecord.default({}),
  rateLimit: RateLimitOverride.optional(),
  retry: RetryPolicy.partial().optional(),
  /** largest source record (serialised JSON, bytes) a run takes; bigger ones are settled invalid (engine default 1 MB) */
  maxRecordBytes: z.number().int().min(1024).max(64 * 1024 * 1024).optional(),
});
export type SourceData = z.infer<typeof SourceData>;

/** Conditions / rules / field mappings are the mapping layer's documents; validated there at compile time. */
export const FilterData = z.object({ condition: z.unknown() });
export type FilterData = z.infer<typeof FilterData>;
export const ValidateData = z.object({ rules: z.array(z.unknown()).default([]) });
export type ValidateData = z.infer<typeof ValidateData>;
export const CleanData = z.object({ rules: z.array(z.unknown()).default([]) });
export type CleanData = z.infer<typeof CleanData>;
/** Flatten: one record per element of the array at `path`, parent fields copied (Qeasy beatFlat). */
export const FlattenData = z.object({ path: z.string().min(1), options: JsonRecord.default({}) });
export type FlattenData = z.infer<typeof FlattenData>;
/** Split: one record per element of the array at `path` (or, with `size`, chunks of at most `size` elements). */
export const SplitData = z.object({ path: z.string().min(1), size: z.number().int().positive().optional(), options: JsonRecord.default({}) });
export type SplitData = z.infer<typeof SplitData>;
/** DingTalk approval form → `record[target]` keyed by component label ({{form.备用金金额}}). */
export const DingtalkFormData = z.object({ target: z.string().min(1).default("form"), keys: z.enum(["label", "id", "both"]).default("label") });
export type DingtalkFormData = z.infer<typeof DingtalkFormData>;
export const MapperData = z.object({ fields: z.array(z.unknown()).default([]) });
export type MapperData = z.infer<typeof MapperData>;

export const TargetData = z.object({
  connectionId: z.string().min(1, "请选择目标连接 (target connection is required)"),
  /** connector api id, e.g. "kingdee.BatchSave" */
  apiId: z.string().min(1, "请选择目标接口 (target api is required)"),
  /** Kingdee form id, e.g. "BD_Customer" */
  formId: z.string().optional(),
  /** rows per write call (Kingdee BatchSave default 100) */
  batchSize: z.number().int().positive().max(1000).optional(),
  /** parallel write calls */
  concurrency: z.number().int().min(1).max(16).optional(),
  /** vendor options sent with every write (IsAutoSubmitAndAudit, IsVerifyBaseDataField, …) */
  options: JsonRecord.default({}),
  /** document field holding the business key (Kingdee FNumber / FBillNo); default from the connector */
  businessKeyField: z.string().optional(),
  /**
   * Look documents up by business key before creating them, so ones that already exist at the target
   * (entered by hand, migrated from another tool, a reset ledger) are updated instead of refused as
   * duplicates. Costs one query per batch of new rows.
   */
  lookupExisting: z.boolean().optional(),
  rateLimit: RateLimitOverride.optional(),
  retry: RetryPolicy.partial().optional(),
});
export type TargetData = z.infer<typeof TargetData>;

export const SourceNode = z.object({ ...nodeBase, type: z.literal("source"), data: SourceData });
export const FilterNode = z.object({ ...nodeBase, type: z.literal("filter"), data: FilterData });
export const ValidateNode = z.object({ ...nodeBase, type: z.literal("validate"), data: ValidateData });
export const CleanNode = z.object({ ...nodeBase, type: z.literal("clean"), data: CleanData });
export const FlattenNode = z.object({ ...nodeBase, type: z.literal("flatten"), data: FlattenData });
export const SplitNode = z.object({ ...nodeBase, type: z.literal("split"), data: SplitData });
export const DingtalkFormNode = z.object({ ...nodeBase, type: z.literal("dingtalkForm"), data: DingtalkFormData });
export const MapperNode = z.object({ ...nodeBase, type: z.literal("mapper"), data: MapperData });
export const TargetNode = z.object({ ...nodeBase, type: z.literal("target"), data: TargetData });

export const FlowNode = z.discriminatedUnion("type", [SourceNode, FilterNode, ValidateNode, CleanNode, FlattenNode, SplitNode, DingtalkFormNode, MapperNode, TargetNode]);
export type FlowNode = z.infer<typeof FlowNode>;
export type FlowNodeType = FlowNode["type"];
export type SourceNode = z.infer<typeof SourceNode>;
export type TargetNode = z.infer<typeof TargetNode>;
export type MapperNode = z.infer<typeof MapperNode>;

export const FlowEdge = z.object({ id: z.string().min(1), source: z.string().min(1), target: z.string().min(1) });
export type FlowEdge = z.infer<typeof FlowEdge>;

export const ScheduleSettings = z.object({
  /** five- or six-field cron expression, e.g. "0 *\/30 * * * *" or "*\/15 * * * *" */
  cron: z.string().min(1),
  timezone: z.string().default("Asia/Shanghai"),
  enabled: z.boolean().default(true),
});
export type ScheduleSettings = z.infer<typeof ScheduleSettings>;

export const IncrementalSettings = z.object({
  enabled: z.boolean().default(false),
  /** LAST_SYNC_TIME = last successful window end − overlap (catches late-committed changes) */
  overlapSec: z.number().int().min(0).max(30 * 86400).default(300),
  /** first run's LAST_SYNC_TIME when no watermark exists (ISO date-time) … */
  initialStart: z.string().optional(),
  /** … or this many seconds before the run (default 30 days) */
  initialLookbackSec: z.number().int().min(0).max(3650 * 86400).optional(),
});
export type IncrementalSettings = z.infer<typeof IncrementalSettings>;

export const FlowSettings = z.object({
  schedule: ScheduleSettings.nullable().optional(),
  incremental: IncrementalSettings.default({ enabled: false, overlapSec: 300 }),
  idCheck: z.boolean().default(true),
  batchSize: z.number().int().positive().max(1000).default(100),
  concurrency: z
    .object({ source: z.number().int().min(1).max(8).default(1), target: z.number().int().min(1).max(16).default(2) })
    .default({ source: 1, target: 2 }),
  retry: RetryPolicy.default({ maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 }),
});
export type FlowSettings = z.infer<typeof FlowSettings>;

export const FlowDoc = z.object({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  name: z.string().min(1).max(100).optional(),
  description: z.string().max(2000).optional(),
  nodes: z.array(FlowNode),
  edges: z.array(FlowEdge).default([]),
  settings: FlowSettings.default(FlowSettings.parse({})),
});
export type FlowDoc = z.infer<typeof FlowDoc>;
/** What a document looks like before defaults are applied (what the canvas may send). */
export type FlowDocInput = z.input<typeof FlowDoc>;

/**
 * Upgrades any stored document to the current schema version (before validation).
 * Version 0 (no schemaVersion): Qeasy-like flat keys `idCheck`/`batchSize` at the root → settings.
 */
export function migrateFlowDoc(raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const doc = { ...(raw as Record<string, unknown>) };
  if (doc.schemaVersion === undefined || doc.schemaVersion === 0) {
    const settings = { ...((doc.settings as Record<string, unknown> | undefined) ?? {}) };
    for (const k of ["idCheck", "batchSize", "schedule", "concurrency", "retry"]) {
      if (k in doc && !(k in settings)) settings[k] = doc[k];
      delete doc[k];
    }
    if (typeof settings.schedule === "string") settings.schedule = { cron: settings.schedule };
    doc.settings = settings;
    doc.schemaVersion = 1;
  }
  return doc;
}

export interface FlowDocIssue {
  path: string;
  message: string;
}

/** Migrates then validates; returns every issue with its JSON path ("nodes.2.data.apiId"). */
export function parseFlowDoc(raw: unknown): { ok: true; doc: FlowDoc } | { ok: false; issues: FlowDocIssue[] } {
  const res = FlowDoc.safeParse(migrateFlowDoc(raw));
  if (res.success) return { ok: true, doc: res.data };
  return { ok: false, issues: res.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(根 root)", message: i.message })) };
}

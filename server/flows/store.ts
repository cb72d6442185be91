/**
 * Flows in the database: a Flow row plus immutable, numbered FlowVersion rows.
 *
 * Why this exists: a run executes one exact version, so a saved version never changes; editing means
 * saving version n+1, guarded by optimistic concurrency (`baseVersion`). The tRPC flows router, the CLI
 * (importing a flow.json) and the demo seeding all go through these functions.
 */
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { type FlowDoc, parseFlowDoc } from "./flow.schema";
import { stableStringify } from "@/server/engine/util";

export class FlowDocumentError extends DomainError {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super("BAD_REQUEST", message);
  }
}

export class FlowNotFoundError extends DomainError {
  constructor(message: string) {
    super("NOT_FOUND", message);
  }
}

/** Someone saved a newer version since the editor opened `baseVersion`. */
export class FlowVersionConflictError extends DomainError {
  constructor(
    readonly baseVersion: number,
    readonly currentVersion: number,
  ) {
    super("CONFLICT", `方案已被他人修改：你打开的是 v${baseVersion}，当前已是 v${currentVersion}，请刷新后再保存 (the scheme changed since you opened it)`);
  }
}

function validDoc(document: unknown): FlowDoc {
  const r = parseFlowDoc(document);
  if (!r.ok) throw new FlowDocumentError("方案文档无效 (invalid flow document)：" + r.issues.map((i) => `${i.path}: ${i.message}`).join("; "), r.issues);
  return r.doc;
}

function scheduleColumns(doc: FlowDoc): { schedule: string | null; scheduleTz: string } {
  const s = doc.settings.schedule;
  return { schedule: s && s.enabled ? s.cron : null, scheduleTz: s?.timezone ?? "Asia/Shanghai" };
}

export async function createFlow(db: Db, input: { name: string; document: unknown; author?: string; description?: string }): Promise<{ id: string; version: number }> {
  const doc = validDoc(input.document);
  return db.$transaction(async (tx) => {
    const flow = await tx.flow.create({
      data: { name: input.name, description: input.description ?? doc.description ?? "", currentVersion: 1, ...scheduleColumns(doc) },
    });
    await tx.flowVersion.create({ data: { flowId: flow.id, number: 1, document: doc as object, author: input.author ?? "system", message: "创建 (created)" } });
    return { id: flow.id, version: 1 };
  });
}

export async function saveFlowVersion(
  db: Db,
  flowId: string,
  input: { document: unknown; author?: string; message?: string; baseVersion?: number },
): Promise<{ id: string; version: number }> {
  const doc = validDoc(input.document);
  return db.$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({ where: { id: flowId, deletedAt: null } });
    if (!flow) throw new FlowNotFoundError(`方案 ${flowId} 不存在或已删除 (scheme not found)`);
    const base = input.baseVersion ?? flow.currentVersion;
    // The schedule panel owns Flow.schedule; a document changes it only when it says so explicitly
    // (settings.schedule set, or null to clear) — a version saved without one keeps the schedule.
    const schedule = doc.settings.schedule !== undefined ? { ...scheduleColumns(doc), nextRunAt: null } : {};
    const updated = await tx.flow.updateMany({ where: { id: flowId, currentVersion: base }, data: { currentVersion: base + 1, ...schedule } });
    if (updated.count === 0) throw new FlowVersionConflictError(base, flow.currentVersion);
    await tx.flowVersion.create({ data: { flowId, number: base + 1, document: doc as object, author: input.author ?? "system", message: input.message ?? "" } });
    return { id: flowId, version: base + 1 };
  });
}

/** A version (default: the current one), its document upgraded to the current schema. */
export async function getFlowVersion(db: Db, flowId: string, number?: number) {
  const flow = await db.flow.findUnique({ where: { id: flowId } });
  if (!flow) throw new FlowNotFoundError(`方案 ${flowId} 不存在 (scheme not found)`);
  const n = number ?? flow.currentVersion;
  const version = await db.flowVersion.findUnique({ where: { flowId_number: { flowId, number: n } } });
  if (!version) throw new FlowNotFoundError(`方案 ${flow.name} 没有版本 v${n} (version not found)`);
  return { flow, version, document: validDoc(version.document) };
}

/**
 * Imports a flow document (CLI `run flow.json`, demo seeding): the flow is found by name (the
 * document's `name`, else `fallbackName`); a new version is saved only when the document changed, so
 * repeated runs of one file share one flow, one ledger and one watermark.
 */
export async function importFlowDocument(
  db: Db,
  document: unknown,
  opts: { fallbackName: string; author?: string; message?: string },
): Promise<{ id: string; version: number; created: boolean; newVersion: boolean }> {
  const doc = validDoc(document);
  const name = doc.name ?? opts.fallbackName;
  const existing = await db.flow.findFirst({ where: { name, deletedAt: null }, orderBy: { createdAt: "asc" } });
  if (!existing) {
    const r = await createFlow(db, { name, document: doc, author: opts.author });
    return { ...r, created: true, newVersion: true };
  }
  const current = await db.flowVersion.findUnique({ where: { flowId_number: { flowId: existing.id, number: existing.currentVersion } } });
  if (current && stableStringify(parseFlowDoc(current.document).ok ? validDoc(current.document) : current.document) === stableStringify(doc)) {
    return { id: existing.id, version: existing.currentVersion, created: false, newVersion: false };
  }
  const r = await saveFlowVersion(db, existing.id, { document: doc, author: opts.author, message: opts.message ?? "导入 (imported)", baseVersion: existing.currentVersion });
  return { ...r, created: false, newVersion: true };
}

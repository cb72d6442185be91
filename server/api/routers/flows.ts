/**
 * Schemes (集成方案): list, read, create, save a new immutable version, delete; version history,
 * compare and restore; duplicate; import/export (Shuqiao JSON); templates from the seed scenarios;
 * a draft check that gives the canvas its node badges while editing.
 *
 * Why here: the designer and the scheme list read and write flows only through these procedures;
 * documents are validated by the server's flow schema before they are stored. Restoring an old
 * version never rewrites history: it saves that document as a new version, with the same optimistic
 * concurrency as any save, so two people editing one scheme are told instead of overwritten.
 */
import { z } from "zod";
import { boundedJson } from "../limits";
import { AppError } from "../errors";
import { createTRPCRouter, editorProcedure, viewerProcedure } from "../trpc";
import { newFlowDocument, parseFlowDocument, type FlowDocument } from "../flow-document";
import { compileFlow, type FlowProblem } from "@/server/flows/compile";
import { connectionInfo } from "@/server/runs/connections";
import type { Db } from "@/server/db";
import guanyiTemplate from "@/examples/guanyi-shops-to-kingdee-customers.json";
import dingtalkTemplate from "@/examples/dingtalk-pettycash-to-kingdee.json";
import { importQeasy } from "@/server/flows/qeasy-import";
import { QeasyImportError } from "@/server/flows/qeasy-schema";

const FlowName = z.string().trim().min(1, "方案名称不能为空 (name is required)").max(100, "方案名称最多 100 字 (at most 100 characters)");

/** A problem as code + data (the designer words it); nodeId absent = the scheme as a whole. */
export type DraftProblem = FlowProblem;

/**
 * Everything that keeps a draft from running: the schema's issues and the compiler's (graph shape,
 * mappings, templates, connections), each tied to its node when it concerns one.
 */
export async function draftProblems(db: Db, doc: FlowDocument): Promise<DraftProblem[]> {
  const res = await compileFlow(doc, { resolveConnection: (id) => connectionInfo(db, id) });
  if (res.ok) return [];
  return res.problems.map((p) => {
    const m = /^nodes\.(\d+)/.exec(p.path);
    const nodeId = p.nodeId ?? (m ? doc.nodes[Number(m[1])]?.id : undefined);
    return { ...p, ...(nodeId ? { nodeId } : {}), message: humanize(p.path, p.message) };
  });
}

const MISSING: Record<string, string> = {
  connectionId: "请选择连接 (choose a connection)",
  apiId: "请选择接口 (choose an API)",
  idField: "请填写来源 ID 字段 (the id field is required)",
  path: "请填写数组字段 (the array field is required)",
  formId: "请填写表单 ID (the form id is required)",
};

/** A value that is simply absent in a draft reads as "please fill in X", not as a schema error. */
function humanize(path: string, message: string): string {
  if (!/received undefined/.test(message)) return message;
  const field = path.split(".").pop() ?? "";
  return MISSING[field] ?? `请填写 ${field} (${field} is required)`;
}

/** The seed scenarios, offered as one-click templates. */
export const TEMPLATES: { id: string; name: string; description: string; document: unknown }[] = [
  { id: "guanyi-shops-to-kingdee-customers", name: "管易云店铺 → 金蝶客户", description: guanyiTemplate.description ?? "", document: guanyiTemplate },
  { id: "dingtalk-pettycash-to-kingdee", name: "钉钉备用金审批 → 金蝶", description: dingtalkTemplate.description ?? "", document: dingtalkTemplate },
];

/** Export envelope: a Shuqiao scheme file (what export writes and import reads back). */
const EXPORT_FORMAT = "shuqiao.flow" as const;

type Json = unknown;
export interface FlowDiff {
  meta: { path: string; before: Json; after: Json }[];
  nodes: {
    added: { id: string; type: string; label?: string }[];
    removed: { id: string; type: string; label?: string }[];
    changed: { id: string; type: string; label?: string; moved: boolean; changes: { path: string; before: Json; after: Json }[] }[];
  };
  edges: { added: { source: string; target: string }[]; removed: { source: string; target: string }[] };
  mappings: { nodeId: string; field: string; kind: "added" | "removed" | "changed"; before?: Json; after?: Json }[];
  settings: { path: string; before: Json; after: Json }[];
}

function leafDiff(a: Json, b: Json, path: string, out: { path: string; before: Json; after: Json }[], depth = 0): void {
  const isObj = (v: Json): v is Record<string, Json> => !!v && typeof v === "object" && !Array.isArray(v);
  if (isObj(a) && isObj(b) && depth < 6) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) leafDiff(a[k], b[k], path ? `${path}.${k}` : k, out, depth + 1);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, before: a ?? null, after: b ?? null });
}

/** What changed from document `a` to document `b`: nodes, edges, field mappings, settings. */
export function diffDocuments(a: FlowDocument, b: FlowDocument): FlowDiff {
  const an = new Map(a.nodes.map((n) => [n.id, n]));
  const bn = new Map(b.nodes.map((n) => [n.id, n]));
  const brief = (n: FlowDocument["nodes"][number]) => ({ id: n.id, type: n.type, ...(n.label ? { label: n.label } : {}) });
  const diff: FlowDiff = { meta: [], nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [] }, mappings: [], settings: [] };
  leafDiff({ name: a.name, description: a.description }, { name: b.name, description: b.description }, "", diff.meta);
  for (const n of b.nodes) if (!an.has(n.id)) diff.nodes.added.push(brief(n));
  for (const n of a.nodes) if (!bn.has(n.id)) diff.nodes.removed.push(brief(n));
  for (const nb of b.nodes) {
    const na = an.get(nb.id);
    if (!na) continue;
    const changes: { path: string; before: Json; after: Json }[] = [];
    if (na.type !== nb.type) changes.push({ path: "type", before: na.type, after: nb.type });
    if ((na.label ?? "") !== (nb.label ?? "")) changes.push({ path: "label", before: na.label ?? null, after: nb.label ?? null });
    const { fields: fa, ...restA } = na.data as { fields?: unknown[] };
    const { fields: fb, ...restB } = nb.data as { fields?: unknown[] };
    leafDiff(restA, restB, "", changes);
    if (na.type === "mapper" || nb.type === "mapper") {
      const key = (f: unknown) => String((f as { field?: unknown })?.field ?? "");
      const ma = new Map((fa ?? []).map((f) => [key(f), f]));
      const mb = new Map((fb ?? []).map((f) => [key(f), f]));
      for (const [k, f] of mb) {
        if (!ma.has(k)) diff.mappings.push({ nodeId: nb.id, field: k, kind: "added", after: f });
        else if (JSON.stringify(ma.get(k)) !== JSON.stringify(f)) diff.mappings.push({ nodeId: nb.id, field: k, kind: "changed", before: ma.get(k), after: f });
      }
      for (const [k, f] of ma) if (!mb.has(k)) diff.mappings.push({ nodeId: nb.id, field: k, kind: "removed", before: f });
    }
    const moved = na.position.x !== nb.position.x || na.position.y !== nb.position.y;
    if (changes.length || moved) diff.nodes.changed.push({ ...brief(nb), moved, changes });
  }
  const ek = (e: { source: string; target: string }) => `${e.source}\u0000${e.target}`;
  const ae = new Set(a.edges.map(ek));
  const be = new Set(b.edges.map(ek));
  for (const e of b.edges) if (!ae.has(ek(e))) diff.edges.added.push({ source: e.source, target: e.target });
  for (const e of a.edges) if (!be.has(ek(e))) diff.edges.removed.push({ source: e.source, target: e.target });
  leafDiff(a.settings, b.settings, "", diff.settings);
  return diff;
}

async function loadVersion(db: Db, id: string, number?: number) {
  const flow = await db.flow.findFirst({ where: { id, deletedAt: null } });
  if (!flow) throw new AppError("NOT_FOUND", `方案不存在或已删除 (scheme ${id} not found)`);
  const n = number ?? flow.currentVersion;
  const version = await db.flowVersion.findUnique({ where: { flowId_number: { flowId: flow.id, number: n } } });
  if (!version) throw new AppError("NOT_FOUND", `方案版本 v${n} 不存在 (version not found)`);
  return { flow, version, document: parseFlowDocument(version.document) };
}

async function createWithDocument(db: Db, name: string, description: string, document: FlowDocument, message: string) {
  return db.$transaction(async (tx) => {
    const flow = await tx.flow.create({ data: { name, description, currentVersion: 1 } });
    await tx.flowVersion.create({ data: { flowId: flow.id, number: 1, document: { ...document, name } as object, message } });
    return { id: flow.id, version: 1 };
  });
}

/** A name not used by another live scheme: "名称", "名称 (2)", "名称 (3)" … */
async function freeName(db: Db, wanted: string): Promise<string> {
  const base = wanted.slice(0, 90);
  const taken = new Set((await db.flow.findMany({ where: { deletedAt: null, name: { startsWith: base } }, select: { name: true } })).map((f) => f.name));
  if (!taken.has(base)) return base;
  for (let i = 2; i < 1000; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`;
  return `${base} (${Date.now()})`;
}

export const flowsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ search: z.string().max(100).optional() }).optional())
    .query(async ({ ctx, input }) => {
      const flows = await ctx.db.flow.findMany({
        where: { deletedAt: null, ...(input?.search ? { name: { contains: input.search } } : {}) },
        orderBy: { updatedAt: "desc" },
        take: 500,
        select: {
          id: true,
          name: true,
          description: true,
          currentVersion: true,
          schedule: true,
          schedulePaused: true,
          createdAt: true,
          updatedAt: true,
          runs: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, status: true, createdAt: true, finishedAt: true } },
        },
      });
      return flows.map(({ runs, ...f }) => ({ ...f, lastRun: runs[0] ?? null }));
    }),

  byId: viewerProcedure
    .input(z.object({ id: z.string().min(1), version: z.number().int().positive().optional() }))
    .query(async ({ ctx, input }) => {
      const flow = await ctx.db.flow.findFirst({ where: { id: input.id, deletedAt: null } });
      if (!flow) throw new AppError("NOT_FOUND", `方案不存在或已删除 (scheme ${input.id} not found)`);
      const number = input.version ?? flow.currentVersion;
      const version = await ctx.db.flowVersion.findUnique({ where: { flowId_number: { flowId: flow.id, number } } });
      if (!version) throw new AppError("NOT_FOUND", `方案版本 v${number} 不存在 (version not found)`);
      return {
        ...flow,
        version: { id: version.id, number: version.number, author: version.author, message: version.message, createdAt: version.createdAt },
        document: parseFlowDocument(version.document),
        problems: await draftProblems(ctx.db, parseFlowDocument(version.document)),
      };
    }),

  create: editorProcedure
    .input(z.object({ name: FlowName, description: z.string().max(1000).optional(), document: z.unknown().optional() }))
    .mutation(async ({ ctx, input }) => {
      const document = input.document === undefined ? newFlowDocument() : parseFlowDocument(input.document);
      return ctx.db.$transaction(async (tx) => {
        const flow = await tx.flow.create({ data: { name: input.name, description: input.description ?? "", currentVersion: 1 } });
        await tx.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as object, message: "创建 (created)" } });
        return { id: flow.id, version: 1 };
      });
    }),

  saveVersion: editorProcedure
    .input(
      z.object({
        id: z.string().min(1),
        /** the version the editor opened; a different current version means someone else saved meanwhile */
        baseVersion: z.number().int().nonnegative(),
        document: z.unknown(),
        message: z.string().max(500).optional(),
        name: FlowName.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const document = parseFlowDocument(input.document);
      return ctx.db.$transaction(async (tx) => {
        const flow = await tx.flow.findFirst({ where: { id: input.id, deletedAt: null } });
        if (!flow) throw new AppError("NOT_FOUND", "方案不存在或已删除 (scheme not found)");
        // Optimistic concurrency: only the editor that opened the current version may save over it.
        const updated = await tx.flow.updateMany({
          where: { id: flow.id, currentVersion: input.baseVersion },
          data: { currentVersion: input.baseVersion + 1, ...(input.name ? { name: input.name } : {}) },
        });
        if (updated.count === 0) {
          throw new AppError(
            "CONFLICT",
            `方案已被他人修改：你打开的是 v${input.baseVersion}，当前已是 v${flow.currentVersion}。请刷新后再保存。(The scheme changed since you opened it.)`,
            { currentVersion: flow.currentVersion },
          );
        }
        const number = input.baseVersion + 1;
        await tx.flowVersion.create({ data: { flowId: flow.id, number, document: document as object, message: input.message ?? "" } });
        return { id: flow.id, version: number };
      });
    }),

  /** Problems of an unsaved draft (node badges while editing); nothing is stored. */
  check: viewerProcedure.meta({ audit: false }).input(z.object({ document: z.unknown() })).mutation(async ({ ctx, input }) => {
    const doc = parseFlowDocument(input.document);
    return { problems: await draftProblems(ctx.db, doc) };
  }),

  versions: viewerProcedure.input(z.object({ id: z.string().min(1) })).query(async ({ ctx, input }) => {
    const flow = await ctx.db.flow.findFirst({ where: { id: input.id, deletedAt: null }, select: { id: true, currentVersion: true } });
    if (!flow) throw new AppError("NOT_FOUND", "方案不存在或已删除 (scheme not found)");
    const versions = await ctx.db.flowVersion.findMany({
      where: { flowId: flow.id },
      orderBy: { number: "desc" },
      take: 200,
      select: { number: true, author: true, message: true, createdAt: true, _count: { select: { runs: true } } },
    });
    return versions.map(({ _count, ...v }) => ({ ...v, runs: _count.runs, current: v.number === flow.currentVersion }));
  }),

  compare: viewerProcedure
    .input(z.object({ id: z.string().min(1), from: z.number().int().positive(), to: z.number().int().positive() }))
    .query(async ({ ctx, input }) => {
      const a = await loadVersion(ctx.db, input.id, input.from);
      const b = await loadVersion(ctx.db, input.id, input.to);
      return { from: input.from, to: input.to, diff: diffDocuments(a.document, b.document) };
    }),

  /** Restoring = saving an old version's document as a new version (history is never rewritten). */
  restore: editorProcedure
    .input(z.object({ id: z.string().min(1), version: z.number().int().positive(), baseVersion: z.number().int().nonnegative() }))
    .mutation(async ({ ctx, input }) => {
      const old = await loadVersion(ctx.db, input.id, input.version);
      return ctx.db.$transaction(async (tx) => {
        const updated = await tx.flow.updateMany({ where: { id: input.id, currentVersion: input.baseVersion, deletedAt: null }, data: { currentVersion: input.baseVersion + 1 } });
        if (updated.count === 0) {
          const cur = await tx.flow.findUnique({ where: { id: input.id }, select: { currentVersion: true } });
          throw new AppError("CONFLICT", `方案已被他人修改：你看到的是 v${input.baseVersion}，当前已是 v${cur?.currentVersion}。(The scheme changed since you opened it.)`, { currentVersion: cur?.currentVersion });
        }
        const number = input.baseVersion + 1;
        await tx.flowVersion.create({ data: { flowId: input.id, number, document: old.document as object, message: `恢复自 v${input.version} (restored from v${input.version})` } });
        return { id: input.id, version: number };
      });
    }),

  duplicate: editorProcedure.input(z.object({ id: z.string().min(1), name: FlowName.optional() })).mutation(async ({ ctx, input }) => {
    const src = await loadVersion(ctx.db, input.id);
    const name = await freeName(ctx.db, input.name ?? `${src.flow.name} 副本`);
    return createWithDocument(ctx.db, name, src.flow.description, src.document, `复制自「${src.flow.name}」v${src.version.number} (duplicated)`);
  }),

  /** A Shuqiao scheme file: the current (or given) version's document with its name. */
  export: editorProcedure.input(z.object({ id: z.string().min(1), version: z.number().int().positive().optional() })).query(async ({ ctx, input }) => {
    const v = await loadVersion(ctx.db, input.id, input.version);
    return {
      format: EXPORT_FORMAT,
      formatVersion: 1,
      exportedAt: new Date().toISOString(),
      name: v.flow.name,
      description: v.flow.description,
      version: v.version.number,
      document: { ...v.document, name: v.flow.name, description: v.flow.description || v.document.description },
    };
  }),

  /**
   * Imports a scheme file: the export envelope (`format: "shuqiao.flow"`), a bare flow document, or a
   * Qeasy source + target pair `{source, target, mapping?}` (through the Qeasy importer, whose report
   * of what could not be translated exactly is returned for the person to read).
   * The document is validated like any save; the new scheme gets a free name.
   */
  import: editorProcedure
    .input(z.object({ data: boundedJson("导入文件"), name: FlowName.optional() }))
    .mutation(async ({ ctx, input }) => {
      const raw = input.data as Record<string, unknown> | null;
      if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new AppError("BAD_REQUEST", "文件内容不是 JSON 对象 (not a JSON object)");
      // a Qeasy (轻易云) source + target pair (optionally with a separate mapping file)
      if (raw.source && raw.target && !Array.isArray((raw as { nodes?: unknown }).nodes)) {
        let res;
        try {
          res = await importQeasy({ source: raw.source, target: raw.target, mapping: raw.mapping ?? undefined, name: input.name });
        } catch (e) {
          if (e instanceof QeasyImportError) throw new AppError("BAD_REQUEST", e.message);
          throw e;
        }
        const document = parseFlowDocument(res.document);
        const name = await freeName(ctx.db, input.name ?? document.name ?? "轻易云导入方案");
        const created = await createWithDocument(ctx.db, name, (document.description ?? "").slice(0, 1000), document, "从轻易云配置导入 (imported from Qeasy)");
        return { ...created, report: res.report };
      }
      const docRaw = raw.format === EXPORT_FORMAT ? raw.document : raw;
      if (!docRaw || typeof docRaw !== "object" || !Array.isArray((docRaw as { nodes?: unknown }).nodes))
        throw new AppError("BAD_REQUEST", "无法识别的文件：需要数桥方案文件（含 nodes），或一对轻易云源/目标配置 (unrecognised file: expected a Shuqiao scheme or a Qeasy source+target pair)");
      const document = parseFlowDocument(docRaw);
      const wanted = input.name ?? (typeof raw.name === "string" && raw.name.trim() ? raw.name.trim() : document.name) ?? "导入的方案";
      const name = await freeName(ctx.db, wanted);
      const description = typeof raw.description === "string" ? raw.description : (document.description ?? "");
      const created = await createWithDocument(ctx.db, name, description.slice(0, 1000), document, "导入 (imported)");
      return { ...created, report: [] as { path: string; level: string; message: string }[] };
    }),

  templates: viewerProcedure.query(() =>
    TEMPLATES.map((t) => {
      const doc = t.document as { nodes: { type: string }[] };
      return { id: t.id, name: t.name, description: t.description, nodeTypes: doc.nodes.map((n) => n.type) };
    }),
  ),

  fromTemplate: editorProcedure.input(z.object({ templateId: z.string().min(1), name: FlowName.optional() })).mutation(async ({ ctx, input }) => {
    const t = TEMPLATES.find((x) => x.id === input.templateId);
    if (!t) throw new AppError("NOT_FOUND", `模板不存在 (template ${input.templateId} not found)`);
    const document = parseFlowDocument(t.document);
    const name = await freeName(ctx.db, input.name ?? t.name);
    return createWithDocument(ctx.db, name, t.description.slice(0, 1000), document, `由模板「${t.name}」创建 (from template)`);
  }),

  delete: editorProcedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    // Soft delete: runs and the ledger stay for audit; the scheme disappears from lists.
    const res = await ctx.db.flow.updateMany({ where: { id: input.id, deletedAt: null }, data: { deletedAt: new Date(), schedule: null } });
    if (res.count === 0) throw new AppError("NOT_FOUND", "方案不存在或已删除 (scheme not found)");
    return { id: input.id };
  }),
});

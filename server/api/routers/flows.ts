/**
 * Schemes (集成方案): list, read, create, save a new immutable version, delete.
 *
 * Why here: the designer and the scheme list read and write flows only through these procedures;
 * documents are validated by the server's flow schema before they are stored.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { createTRPCRouter, publicProcedure } from "../trpc";
import { documentProblems, newFlowDocument, parseFlowDocument } from "../flow-document";

const FlowName = z.string().trim().min(1, "方案名称不能为空 (name is required)").max(100, "方案名称最多 100 字 (at most 100 characters)");

export const flowsRouter = createTRPCRouter({
  list: publicProcedure
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

  byId: publicProcedure
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
        problems: documentProblems(parseFlowDocument(version.document)),
      };
    }),

  create: publicProcedure
    .input(z.object({ name: FlowName, description: z.string().max(1000).optional(), document: z.unknown().optional() }))
    .mutation(async ({ ctx, input }) => {
      const document = input.document === undefined ? newFlowDocument() : parseFlowDocument(input.document);
      return ctx.db.$transaction(async (tx) => {
        const flow = await tx.flow.create({ data: { name: input.name, description: input.description ?? "", currentVersion: 1 } });
        await tx.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as object, message: "创建 (created)" } });
        return { id: flow.id, version: 1 };
      });
    }),

  saveVersion: publicProcedure
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

  delete: publicProcedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    // Soft delete: runs and the ledger stay for audit; the scheme disappears from lists.
    const res = await ctx.db.flow.updateMany({ where: { id: input.id, deletedAt: null }, data: { deletedAt: new Date(), schedule: null } });
    if (res.count === 0) throw new AppError("NOT_FOUND", "方案不存在或已删除 (scheme not found)");
    return { id: input.id };
  }),
});

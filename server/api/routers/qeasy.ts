/**
 * Qeasy (轻易云) import and export for the designer.
 *
 * Why here: the designer's "从轻易云导入" dialog sends the pasted source/target (+ mapping) JSON and
 * shows the resulting document with its report before the user saves it through `flows.create`
 * (import never saves); "导出到轻易云" reads one saved version and returns Qeasy metadata.
 * Malformed Qeasy JSON is a BAD_REQUEST whose message lists every problem with its JSON path
 * (`- source.request.0.field: …`, one per line), so the UI can show it as is.
 */
import { z } from "zod";
import { exportSavedFlow } from "../../flows/qeasy-export";
import { importQeasy } from "../../flows/qeasy-import";
import { QeasyImportError } from "../../flows/qeasy-schema";
import { AppError } from "../errors";
import { createTRPCRouter, editorProcedure } from "../trpc";
import { boundedJson } from "../limits";

const ConnectionName = z.string().trim().min(1).max(200);

export const QeasyImportInput = z.object({
  source: boundedJson("轻易云源配置"),
  target: boundedJson("轻易云目标配置"),
  mapping: boundedJson("轻易云映射配置").optional(),
  name: z.string().trim().min(1).max(100).optional(),
  connections: z.object({ guanyi: ConnectionName.optional(), dingtalk: ConnectionName.optional(), kingdee: ConnectionName.optional() }).optional(),
  /** Qeasy scheme id → Shuqiao flow id, rewriting `_findCollection … from <scheme id>` */
  schemes: z.record(z.string().min(1).max(200), z.string().max(200).regex(/^[\p{L}\p{N}_$.-]+$/u, "方案 ID 只能含字母、数字、_ $ . - (flow id: letters, digits, _ $ . - only)")).optional(),
});
export type QeasyImportInput = z.infer<typeof QeasyImportInput>;

export const QeasyExportInput = z.object({ flowId: z.string().min(1), version: z.number().int().positive().optional() });
export type QeasyExportInput = z.infer<typeof QeasyExportInput>;

export const qeasyRouter = createTRPCRouter({
  /** Qeasy JSON → flow document + report (not saved). */
  import: editorProcedure.input(QeasyImportInput).mutation(async ({ input }) => {
    try {
      return await importQeasy(input);
    } catch (e) {
      if (e instanceof QeasyImportError) throw new AppError("BAD_REQUEST", e.message, { issues: e.issues });
      throw e;
    }
  }),

  /** A saved flow version → Qeasy source + target metadata + what Qeasy cannot hold. */
  export: editorProcedure.input(QeasyExportInput).query(({ ctx, input }) => exportSavedFlow(ctx.db, input.flowId, input.version)),
});

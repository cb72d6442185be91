/**
 * The API's view of flow documents: what may be saved, what problems a saved document still has, and
 * the document a new scheme starts with.
 *
 * Why two levels: a scheme is designed over several sittings, so a draft with an unconfigured node
 * must be savable (the canvas shows its problems — the flow compiler's, see routers/flows.ts — as node
 * badges); but its shape — schemaVersion, nodes with id/type/position, edges — must always be sound.
 * Runs compile the strict FlowDoc (server/flows) and refuse a document with problems.
 */
import { z } from "zod";
import { migrateFlowDoc } from "../flows/flow.schema";
import { AppError } from "./errors";

const NodeType = z.enum(["source", "filter", "validate", "clean", "flatten", "split", "dingtalkForm", "mapper", "target"]);
const DraftFlowDoc = z
  .object({
    schemaVersion: z.literal(1),
    name: z.string().max(100).optional(),
    description: z.string().max(2000).optional(),
    nodes: z
      .array(
        z
          .object({
            id: z.string().min(1),
            type: NodeType,
            position: z.object({ x: z.number(), y: z.number() }),
            label: z.string().max(200).optional(),
            data: z.record(z.string(), z.unknown()),
          })
          .loose(),
      )
      .max(1000, "一个方案最多 1000 个节点 (at most 1000 nodes)"),
    edges: z.array(z.object({ id: z.string().min(1), source: z.string().min(1), target: z.string().min(1) })).max(5000),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((doc, ctx) => {
    const ids = new Set<string>();
    doc.nodes.forEach((n, i) => {
      if (ids.has(n.id)) ctx.addIssue({ code: "custom", path: ["nodes", i, "id"], message: `节点 id「${n.id}」重复 (duplicate node id)` });
      ids.add(n.id);
    });
  });
export type FlowDocument = z.infer<typeof DraftFlowDoc>;

/** Validates the shape of a document to be saved; throws a BAD_REQUEST naming the path on failure. */
export function parseFlowDocument(raw: unknown): FlowDocument {
  const res = DraftFlowDoc.safeParse(migrateFlowDoc(raw));
  if (!res.success) {
    const i = res.error.issues[0];
    throw new AppError("BAD_REQUEST", `方案文档无效 ${i.path.join(".") || "(根)"}: ${i.message} (invalid flow document)`);
  }
  return res.data;
}

export function newFlowDocument(): FlowDocument {
  return {
    schemaVersion: 1,
    nodes: [{ id: "source", type: "source", position: { x: 80, y: 120 }, data: {} }],
    edges: [],
    settings: {},
  };
}

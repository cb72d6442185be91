/**
 * The API's view of flow documents: parse what the browser sends, and the document a new scheme starts with.
 *
 * Why a seam: the flow schema itself lives in server/flows (it owns the meaning of a flow); this file is
 * the one place the API calls it, so routers never validate documents their own way.
 */
import { z } from "zod";
import { AppError } from "./errors";

// Minimal structural check until the full flow schema is wired in (server/flows/flow.schema.ts).
const LooseFlowDoc = z.object({
  schemaVersion: z.number().int().positive(),
  nodes: z.array(z.object({ id: z.string().min(1), type: z.string().min(1), position: z.object({ x: z.number(), y: z.number() }), data: z.record(z.string(), z.unknown()) })),
  edges: z.array(z.object({ id: z.string().min(1), source: z.string().min(1), target: z.string().min(1) })),
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type FlowDocument = z.infer<typeof LooseFlowDoc>;

export function parseFlowDocument(raw: unknown): FlowDocument {
  const res = LooseFlowDoc.safeParse(raw);
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

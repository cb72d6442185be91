/**
 * Small shared pieces of the connector definition schema.
 *
 * Why this exists: several slots (requester, detail fetch, error handler) need the same notions —
 * a JSON template tree, a failure type, an action — and they must be spelled once so the designer,
 * the flow compiler and the runtime agree on them.
 */
import { z } from "zod";

/** Why a call failed; mirrors `FailureType` in ../types.ts. */
export const FailureTypeSchema = z.enum(["transient", "config", "data"]);

/** A JSON value whose strings may hold `{{placeholders}}` (resolved by runtime/template.ts). */
export const JsonTemplate: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonTemplate),
    z.record(z.string(), JsonTemplate),
  ]),
);
export type JsonTemplate = z.infer<typeof JsonTemplate>;

/** A bilingual label shown in the designer. */
export const Label = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type Label = z.infer<typeof Label>;

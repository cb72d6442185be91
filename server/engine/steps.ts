/**
 * The engine's one seam to the mapping layer: compiles the plan's steps and mapper once per run.
 *
 * Why this exists: filter/validate/clean/flatten/split and the mapper are the mapping layer's; the
 * engine needs only "is this record kept, is it valid, what does it become". Problems are data
 * (reasons), never exceptions, so one bad record is recorded as invalid and the run goes on.
 */
import { compileCleaner, compileFilter, compileMapper, compileValidator, dingtalkFormToRecord, flattenRecords, splitArray } from "@/server/mapping";
import type { FieldMapping, MapContext } from "@/server/mapping/types";
import type { Plan } from "./types";
import { errorMessage } from "./util";

export type StepOutcome = { kind: "ok"; record: Record<string, unknown> } | { kind: "filtered" } | { kind: "invalid"; reasons: string[] };

export interface CompiledPipeline {
  /** flatten/split: one source page's records → the records the ledger tracks */
  structural(records: Record<string, unknown>[]): Record<string, unknown>[];
  /** filter/clean/validate in graph order (synchronous: every step is) */
  apply(record: Record<string, unknown>): StepOutcome;
  /** a promise only when the mapper has asynchronous parts (`_findCollection` lookups) — no tick per record otherwise */
  map(record: Record<string, unknown>, ctx: MapContext): MapOutcome | Promise<MapOutcome>;
}

export type MapOutcome = { doc: Record<string, unknown>; reasons: string[] };
const NO_REASONS: string[] = [];
const outcome = ({ doc, errors }: { doc: Record<string, unknown>; errors: { field: string; message: string }[] }): MapOutcome => ({
  doc,
  reasons: errors.length ? errors.map((e) => `${e.field}: ${e.message}`) : NO_REASONS,
});
const failed = (e: unknown): MapOutcome => ({ doc: {}, reasons: [errorMessage(e)] });

type RecordFn = (r: Record<string, unknown>) => StepOutcome;

export function compilePipeline(plan: Plan): CompiledPipeline {
  const structural: ((rs: Record<string, unknown>[]) => Record<string, unknown>[])[] = [];
  const chain: RecordFn[] = [];
  for (const step of plan.steps) {
    const c = step.config;
    switch (step.kind) {
      case "flatten": {
        const options = { idField: plan.source.idField, ...((c.options ?? {}) as Record<string, unknown>), path: String(c.path) };
        structural.push((rs) => flattenRecords(rs, options));
        break;
      }
      case "split": {
        const options = {
          idField: plan.source.idField,
          ...((c.options ?? {}) as Record<string, unknown>),
          path: String(c.path),
          ...(c.size !== undefined ? { size: Number(c.size) } : {}),
        };
        structural.push((rs) => splitArray(rs, options));
        break;
      }
      case "dingtalkForm": {
        const target = String(c.target ?? "form");
        const keys = (c.keys ?? "label") as "label" | "id" | "both";
        // Pass the component list itself: an instance's own `result` field ("agree") would otherwise be
        // taken for a v1.0 response wrapper by dingtalkFormToRecord.
        chain.push((r) => ({ kind: "ok", record: { ...r, [target]: dingtalkFormToRecord(r.form_component_values ?? r.formComponentValues ?? r, { keys }) } }));
        break;
      }
      case "filter": {
        const f = compileFilter(c.condition);
        chain.push((r) => (f(r) ? { kind: "ok", record: r } : { kind: "filtered" }));
        break;
      }
      case "clean": {
        const clean = compileCleaner(c.rules);
        chain.push((r) => ({ kind: "ok", record: clean(r) }));
        break;
      }
      case "validate": {
        const validate = compileValidator(c.rules);
        chain.push((r) => {
          const errors = validate(r);
          return errors.length ? { kind: "invalid", reasons: errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)) } : { kind: "ok", record: r };
        });
        break;
      }
    }
  }
  const mapper = compileMapper(plan.mapper.fields as FieldMapping[]);
  return {
    structural(records) {
      let rs = records;
      for (const s of structural) rs = s(rs);
      return rs;
    },
    apply(record) {
      let r = record;
      for (const fn of chain) {
        try {
          const o = fn(r);
          if (o.kind !== "ok") return o;
          r = o.record;
        } catch (e) {
          return { kind: "invalid", reasons: [errorMessage(e)] };
        }
      }
      return { kind: "ok", record: r };
    },
    map(record, ctx) {
      if (mapper.async) return mapper.map(record, ctx).then(outcome, failed);
      try {
        return outcome(mapper.mapSync(record, ctx));
      } catch (e) {
        return failed(e);
      }
    },
  };
}

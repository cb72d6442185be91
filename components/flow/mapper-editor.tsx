"use client";
/**
 * The mapping editor (映射): a table of target fields ← values with parsers, required markers and
 * entry (detail) tables, and a live preview of the mapped document beside the source record.
 *
 * Why this exists: this is where business analysts spend their time. Target fields are offered from
 * the target form's field catalogue (Kingdee BD_Customer, ER_ExpenseRequest …) with their required
 * markers and base-data hints ("use ConvertObjectParser(FNumber)"); values are offered from the sample
 * records' fields as `{{field}}`; the preview maps real sample records through the server's own
 * pipeline on every edit and highlights the fields that fail, so mistakes are seen before a run.
 * The rows are exactly the mapping layer's FieldMapping documents.
 */
import { useMutation } from "@tanstack/react-query";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { FieldMapping, ParserRef } from "@/server/mapping/types";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useTRPC, type RouterOutputs } from "../trpc/client";
import { Badge, Button, Dialog } from "../ui/primitives";
import { pick, useCatalogue, type FormEntry, type ParserEntry } from "./catalogue";
import { ctl, Section } from "./fields";
import type { AnyConfig, FlowDocument } from "./model";

export interface Sample {
  records: Record<string, unknown>[];
  fields: string[];
  origin: "fetched" | "pinned" | "manual";
  total?: number | null;
}

type FieldError = { field: string; message: string };
type PreviewResult = RouterOutputs["preview"]["map"];
const TYPES = ["", "string", "int", "number", "boolean", "datetime", "object", "array"] as const;

function fieldsOf(config: AnyConfig): FieldMapping[] {
  return Array.isArray(config.fields) ? (config.fields as FieldMapping[]) : [];
}

export function MapperEditor({
  config,
  set,
  formId,
  document,
  sample,
  setSample,
  sandbox,
}: {
  config: AnyConfig;
  set: (patch: AnyConfig) => void;
  formId?: string;
  document: FlowDocument;
  sample: Sample | null;
  setSample: (s: Sample | null) => void;
  sandbox: boolean;
}) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const { forms, parsers } = useCatalogue();
  const form = forms.find((f) => f.formId.toLowerCase() === (formId ?? "").toLowerCase());
  const fields = fieldsOf(config);
  const [selected, setSelected] = useState(0);
  const [editSample, setEditSample] = useState(false);

  const preview = useMutation(trpc.preview.map.mutationOptions());
  const fetchSample = useMutation(
    trpc.preview.sample.mutationOptions({
      onSuccess: (r) => {
        setSample({ records: r.records, fields: r.fields, origin: "fetched", total: r.total });
        setSelected(0);
      },
    }),
  );

  // Re-map whenever the mapping, the steps or the sample change (debounced; positions do not matter).
  const semantic = useMemo(() => JSON.stringify({ n: document.nodes.map((n) => [n.id, n.type, n.data]), e: document.edges }), [document]);
  const latest = useRef({ document, sample });
  useLayoutEffect(() => {
    latest.current = { document, sample };
  });
  const mutate = preview.mutate;
  useEffect(() => {
    if (!sample?.records.length) return;
    const h = setTimeout(() => mutate({ document: latest.current.document, records: latest.current.sample?.records ?? [] }), 250);
    return () => clearTimeout(h);
  }, [semantic, sample, mutate]);

  const result: PreviewResult | undefined = sample?.records.length ? preview.data : undefined;
  const current = result?.results[Math.min(selected, (result?.results.length ?? 1) - 1)];
  const errorsByField = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const e of [...(current?.errors ?? []), ...(result?.configErrors ?? [])]) {
      const top = e.field.split(/[.[]/)[0];
      if (!m.has(top) || !m.get(top)?.includes(e.message)) m.set(top, [...(m.get(top) ?? []), e.message]);
    }
    return m;
  }, [current, result]);

  const setFields = (f: FieldMapping[]) => set({ fields: f });
  const missingRequired = form ? form.fields.filter((f) => f.required && !fields.some((x) => x.field.toLowerCase() === f.key.toLowerCase())) : [];
  const sampleFields = sample?.fields ?? [];

  return (
    <>
      <Section
        title={t("mapper.title")}
        aside={form ? <span className="truncate text-xs text-slate-500">{t("mapper.form", { form: `${form.formId} ${pick(form.label, locale)}` })}</span> : null}
      >
        <MappingRows
          rows={fields}
          onChange={setFields}
          form={form}
          entry={false}
          parsers={parsers}
          errorsByField={errorsByField}
          sampleFields={sampleFields}
        />
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => setFields([...fields, { field: "", value: "" }])} data-testid="mapper-add">
            + {t("mapper.add")}
          </Button>
          {missingRequired.length ? (
            <Button
              onClick={() =>
                setFields([
                  ...fields,
                  ...missingRequired.map((f) => ({
                    field: f.key,
                    label: pick(f.label, "zh"),
                    value: "",
                    required: true,
                    ...(f.refKey ? { parsers: [{ name: "ConvertObjectParser", params: { key: f.refKey } }] } : {}),
                  })),
                ])
              }
            >
              {t("mapper.addRequired", { n: missingRequired.length })}
            </Button>
          ) : null}
          {form?.entry && !fields.some((f) => f.field === form.entry?.key) ? (
            <Button onClick={() => setFields([...fields, { field: form.entry!.key, label: pick(form.entry!.label, "zh"), type: "array", value: "", children: [{ field: "", value: "" }] }])}>
              + {t("mapper.addEntry", { name: pick(form.entry.label, locale) })}
            </Button>
          ) : null}
        </div>
        <datalist id="mapper-values">
          {sampleFields.map((f) => (
            <option key={f} value={`{{${f}}}`} />
          ))}
        </datalist>
        <datalist id="mapper-targets">
          {(form?.fields ?? []).map((f) => (
            <option key={f.key} value={f.key}>
              {pick(f.label, locale)}
              {f.required ? " *" : ""}
            </option>
          ))}
        </datalist>
        {form?.entry ? (
          <datalist id="mapper-entry-targets">
            {form.entry.fields.map((f) => (
              <option key={f.key} value={f.key}>
                {pick(f.label, locale)}
                {f.required ? " *" : ""}
              </option>
            ))}
          </datalist>
        ) : null}
      </Section>

      <Section
        title={t("preview.title")}
        aside={
          <div className="flex items-center gap-1.5">
            {sample ? <Badge tone={sample.origin === "pinned" ? "violet" : "gray"}>{t(sample.origin === "pinned" ? "preview.pinned" : sample.origin === "manual" ? "preview.manual" : "preview.fetched")}</Badge> : null}
            {result ? <span className="text-xs text-slate-400" data-testid="preview-ms">{t("preview.ms", { ms: result.ms })}</span> : null}
          </div>
        }
      >
        <div className="flex flex-wrap gap-2">
          <Button variant="primary" onClick={() => fetchSample.mutate({ document, sandbox, limit: 20 })} disabled={fetchSample.isPending} data-testid="preview-fetch">
            {fetchSample.isPending ? t("common.loading") : t("preview.fetch")}
          </Button>
          {sample ? (
            <Button onClick={() => setSample({ ...sample, origin: sample.origin === "pinned" ? "fetched" : "pinned" })} data-testid="preview-pin">
              {sample.origin === "pinned" ? t("preview.unpin") : t("preview.pin")}
            </Button>
          ) : null}
          <Button variant="ghost" onClick={() => setEditSample(true)}>
            {t("preview.edit")}
          </Button>
        </div>
        {fetchSample.isError ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-700">
            {fetchSample.error.message}
          </p>
        ) : null}
        {!sample ? <p className="text-xs text-slate-500">{t("preview.empty")}</p> : null}
        {result ? (
          <PreviewView
            result={result}
            selected={Math.min(selected, Math.max(0, result.results.length - 1))}
            onSelect={setSelected}
            total={sample?.total}
          />
        ) : null}
        {preview.isError ? <p role="alert" className="text-xs text-red-600">{preview.error.message}</p> : null}
      </Section>
      {editSample ? <SampleDialog onClose={() => setEditSample(false)} sample={sample} onSave={(records) => setSample({ records, fields: sampleFieldPaths(records), origin: "manual" })} /> : null}
    </>
  );
}

function sampleFieldPaths(records: Record<string, unknown>[]): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, p: string, d: number) => {
    if (d > 3 || !v || typeof v !== "object" || Array.isArray(v)) return;
    for (const [k, x] of Object.entries(v)) {
      const path = p ? `${p}.${k}` : k;
      out.add(path);
      walk(x, path, d + 1);
    }
  };
  records.slice(0, 20).forEach((r) => walk(r, "", 0));
  return [...out];
}

function MappingRows({
  rows,
  onChange,
  form,
  entry,
  parsers,
  errorsByField,
  sampleFields,
  depth = 0,
}: {
  rows: FieldMapping[];
  onChange: (rows: FieldMapping[]) => void;
  form?: FormEntry;
  entry: boolean;
  parsers: ParserEntry[];
  errorsByField: Map<string, string[]>;
  sampleFields: string[];
  depth?: number;
}) {
  const { t, locale } = useI18n();
  const catalogueFields = entry ? (form?.entry?.fields ?? []) : (form?.fields ?? []);
  const setRow = (i: number, patch: Partial<FieldMapping>) => onChange(rows.map((r, j) => (j === i ? cleanRow({ ...r, ...patch }) : r)));
  if (!rows.length) return <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-xs text-slate-500">{t("mapper.empty")}</p>;
  return (
    <div className="space-y-1.5" role="table" aria-label={t("mapper.title")}>
      <div role="row" className="grid grid-cols-[8.5rem_1rem_1fr_8.5rem_1.5rem_1.5rem] items-center gap-1 px-1 text-[11px] font-medium text-slate-500">
        <span role="columnheader">{t("mapper.col.target")}</span>
        <span aria-hidden />
        <span role="columnheader">{t("mapper.col.value")}</span>
        <span role="columnheader">{t("mapper.col.parser")}</span>
        <span role="columnheader" title={t("mapper.col.required")}>
          *
        </span>
        <span aria-hidden />
      </div>
      {rows.map((r, i) => {
        const cat = catalogueFields.find((f) => f.key.toLowerCase() === r.field.toLowerCase());
        const errs = depth === 0 ? errorsByField.get(r.field) : undefined;
        const parserList = r.parsers ?? [];
        const n = `${depth ? `${depth}.` : ""}${i + 1}`;
        const suggestObject = cat?.refKey && !parserList.some((p) => p.name === "ConvertObjectParser" || p.name === "ConvertTwoStageObjectParser");
        return (
          <div key={i} role="row" data-testid={`mapper-row-${n}`} className={`rounded-md border p-1.5 ${errs ? "border-red-300 bg-red-50/50" : "border-slate-200 bg-white"}`}>
            <div className="grid grid-cols-[8.5rem_1rem_1fr_8.5rem_1.5rem_1.5rem] items-center gap-1">
              <input
                role="cell"
                aria-label={t("mapper.targetField", { n })}
                value={r.field}
                list={entry ? "mapper-entry-targets" : "mapper-targets"}
                onChange={(e) => {
                  const c = catalogueFields.find((f) => f.key === e.target.value);
                  setRow(i, { field: e.target.value, ...(c && !r.label ? { label: pick(c.label, "zh") } : {}), ...(c?.required ? { required: true } : {}) });
                }}
                className={`${ctl} font-mono text-xs`}
                placeholder="FName"
              />
              <span className="text-center text-slate-400" aria-hidden>
                ←
              </span>
              <input
                role="cell"
                aria-label={t("mapper.value", { n })}
                value={r.value ?? ""}
                list="mapper-values"
                onChange={(e) => setRow(i, { value: e.target.value })}
                className={`${ctl} font-mono text-xs`}
                placeholder={r.children ? "{{details}}" : "{{name}}"}
              />
              <select
                role="cell"
                aria-label={t("mapper.parser", { n })}
                value={parserList[0]?.name ?? ""}
                onChange={(e) => {
                  const name = e.target.value;
                  const info = parsers.find((p) => p.name === name);
                  const first: ParserRef | undefined = name ? { name, ...(info?.params.length ? { params: defaultParams(info, cat?.refKey) } : {}) } : undefined;
                  setRow(i, { parsers: first ? [first, ...parserList.slice(1)] : parserList.slice(1) });
                }}
                className={`${ctl} text-xs`}
              >
                <option value="">{t("mapper.noParser")}</option>
                {parsers.map((p) => (
                  <option key={p.name} value={p.name}>
                    {pick(p.label, locale)} · {p.name}
                  </option>
                ))}
              </select>
              <input
                role="cell"
                type="checkbox"
                aria-label={t("mapper.required", { n })}
                checked={r.required === true}
                onChange={(e) => setRow(i, { required: e.target.checked || undefined })}
                className="h-4 w-4 justify-self-center rounded border-slate-300 focus-visible:outline-2 focus-visible:outline-brand-500"
              />
              <button type="button" aria-label={t("mapper.remove", { n })} onClick={() => onChange(rows.filter((_, j) => j !== i))} className="rounded text-slate-400 hover:bg-red-50 hover:text-red-600 focus-visible:outline-2 focus-visible:outline-brand-500">
                ×
              </button>
            </div>
            <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 pl-0.5 text-[11px] text-slate-500">
              {cat ? (
                <span>
                  {pick(cat.label, locale)}
                  {cat.required ? <span className="ml-0.5 text-red-500">*</span> : null}
                  {cat.hint ? <span className="ml-1 text-slate-400">· {pick(cat.hint, locale)}</span> : null}
                </span>
              ) : r.label ? (
                <span>{r.label}</span>
              ) : null}
              <label className="flex items-center gap-1">
                <span>{t("mapper.type")}</span>
                <select aria-label={t("mapper.typeOf", { n })} value={r.type ?? ""} onChange={(e) => setRow(i, { type: (e.target.value || undefined) as FieldMapping["type"] })} className="rounded border-0 bg-transparent py-0 pl-0 pr-5 text-[11px] text-slate-600 ring-0 focus:ring-1 focus:ring-brand-500">
                  {TYPES.map((ty) => (
                    <option key={ty} value={ty}>
                      {ty || t("mapper.typeAuto")}
                    </option>
                  ))}
                </select>
              </label>
              {suggestObject ? (
                <button type="button" className="text-brand-700 hover:underline" onClick={() => setRow(i, { parsers: [{ name: "ConvertObjectParser", params: { key: cat.refKey as string } }, ...parserList] })}>
                  {t("mapper.suggestObject", { key: cat.refKey as string })}
                </button>
              ) : null}
              {!entry && !r.children ? (
                <button type="button" className="text-brand-700 hover:underline" onClick={() => setRow(i, { type: "array", children: [{ field: "", value: "" }] })}>
                  {t("mapper.makeEntry")}
                </button>
              ) : null}
            </div>
            {parserList.map((p, pi) => (
              <ParserParams
                key={pi}
                n={n}
                index={pi}
                parser={p}
                info={parsers.find((x) => x.name === p.name)}
                parsers={parsers}
                onChange={(np) => setRow(i, { parsers: np ? parserList.map((x, k) => (k === pi ? np : x)) : parserList.filter((_, k) => k !== pi) })}
              />
            ))}
            {parserList.length ? (
              <button type="button" className="mt-1 text-[11px] text-brand-700 hover:underline" onClick={() => setRow(i, { parsers: [...parserList, { name: "Trim" }] })}>
                + {t("mapper.chainParser")}
              </button>
            ) : null}
            {errs ? (
              <ul className="mt-1 space-y-0.5 text-[11px] text-red-700" data-testid="mapper-row-error">
                {errs.map((m, k) => (
                  <li key={k}>⚠ {m}</li>
                ))}
              </ul>
            ) : null}
            {r.children ? (
              <div className="mt-2 border-l-2 border-violet-200 pl-2">
                <p className="mb-1 text-[11px] font-medium text-violet-700">{t("mapper.entryRows", { value: r.value || "…" })}</p>
                <MappingRows rows={r.children} onChange={(c) => setRow(i, { children: c })} form={form} entry parsers={parsers} errorsByField={errorsByField} sampleFields={sampleFields} depth={depth + 1} />
                <button type="button" className="mt-1 text-[11px] font-medium text-brand-700 hover:underline" onClick={() => setRow(i, { children: [...(r.children ?? []), { field: "", value: "" }] })}>
                  + {t("mapper.addEntryField")}
                </button>
              </div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

function cleanRow(r: FieldMapping): FieldMapping {
  const out: FieldMapping = { ...r };
  if (!out.parsers?.length) delete out.parsers;
  if (!out.type) delete out.type;
  if (!out.required) delete out.required;
  if (!out.label) delete out.label;
  return out;
}

function defaultParams(info: ParserEntry, refKey?: string): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  for (const x of info.params) if (x.required) p[x.name] = x.name === "key" ? (refKey ?? "FNumber") : x.type === "json" ? {} : x.type === "number" ? 0 : "";
  return p;
}

function ParserParams({ n, index, parser, info, parsers, onChange }: { n: string; index: number; parser: ParserRef; info?: ParserEntry; parsers: ParserEntry[]; onChange: (p: ParserRef | null) => void }) {
  const { t, locale } = useI18n();
  const params = parser.params ?? {};
  const setParam = (k: string, v: unknown) => onChange({ ...parser, params: { ...params, [k]: v } });
  return (
    <div className="mt-1 flex flex-wrap items-center gap-1.5 rounded bg-slate-50 px-2 py-1 text-[11px]">
      {index > 0 ? (
        <select aria-label={t("mapper.parserN", { n, k: index + 1 })} value={parser.name} onChange={(e) => onChange({ name: e.target.value })} className="rounded border-0 bg-white py-0.5 pl-1 pr-6 text-[11px] ring-1 ring-slate-200">
          {parsers.map((p) => (
            <option key={p.name} value={p.name}>
              {pick(p.label, locale)}
            </option>
          ))}
        </select>
      ) : (
        <span className="font-medium text-slate-600" title={info?.description}>
          {info ? pick(info.label, locale) : parser.name}
        </span>
      )}
      {(info?.params ?? []).map((p) => {
        const label = `${pick(p.label, locale)}${p.required ? " *" : ""}`;
        const aria = `${t("mapper.parserParam", { n, name: p.name })}`;
        const v = params[p.name];
        if (p.type === "boolean")
          return (
            <label key={p.name} className="flex items-center gap-1">
              <input type="checkbox" aria-label={aria} checked={v === true} onChange={(e) => setParam(p.name, e.target.checked)} />
              {label}
            </label>
          );
        return (
          <label key={p.name} className="flex items-center gap-1" title={p.description}>
            <span className="text-slate-500">{label}</span>
            <input
              aria-label={aria}
              value={p.type === "json" ? (v === undefined ? "" : JSON.stringify(v)) : v === undefined ? "" : String(v)}
              onChange={(e) => {
                const raw = e.target.value;
                if (p.type === "number") return setParam(p.name, raw === "" ? undefined : Number(raw));
                if (p.type === "json") {
                  try {
                    return setParam(p.name, raw ? JSON.parse(raw) : undefined);
                  } catch {
                    return;
                  }
                }
                setParam(p.name, raw);
              }}
              className="w-28 rounded border-0 bg-white px-1.5 py-0.5 font-mono text-[11px] ring-1 ring-slate-200 focus:ring-2 focus:ring-brand-500"
              placeholder={p.type === "json" ? "{}" : ""}
            />
          </label>
        );
      })}
      {index > 0 ? (
        <button type="button" aria-label={t("field.remove")} onClick={() => onChange(null)} className="ml-auto text-slate-400 hover:text-red-600">
          ×
        </button>
      ) : null}
    </div>
  );
}

const STATUS_TONE = { mapped: "green", error: "red", filtered: "gray", invalid: "amber" } as const;

function PreviewView({ result, selected, onSelect, total }: { result: PreviewResult; selected: number; onSelect: (i: number) => void; total?: number | null }) {
  const { t } = useI18n();
  const cur = result.results[selected];
  return (
    <div data-testid="preview-result">
      <div className="mb-2 flex flex-wrap gap-1.5 text-xs">
        <Badge tone="green">{t("preview.count.mapped", { n: result.counts.mapped })}</Badge>
        {result.counts.error ? <Badge tone="red">{t("preview.count.error", { n: result.counts.error })}</Badge> : null}
        {result.counts.invalid ? <Badge tone="amber">{t("preview.count.invalid", { n: result.counts.invalid })}</Badge> : null}
        {result.counts.filtered ? <Badge>{t("preview.count.filtered", { n: result.counts.filtered })}</Badge> : null}
        {total ? <span className="text-slate-400">{t("preview.total", { n: total })}</span> : null}
      </div>
      {result.stepErrors.length ? (
        <ul className="mb-2 text-xs text-red-700">
          {result.stepErrors.map((e) => (
            <li key={e.nodeId}>
              ⚠ {e.nodeId}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mb-2 flex gap-1 overflow-x-auto pb-1" role="tablist" aria-label={t("preview.records")}>
        {result.results.map((r, i) => (
          <button
            key={i}
            type="button"
            role="tab"
            aria-selected={i === selected}
            onClick={() => onSelect(i)}
            className={`shrink-0 rounded-md px-2 py-1 text-[11px] ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-brand-500 ${i === selected ? "bg-brand-600 text-white ring-brand-600" : r.status === "mapped" ? "bg-white text-slate-700 ring-slate-200" : r.status === "filtered" ? "bg-slate-100 text-slate-400 ring-slate-200 line-through" : "bg-red-50 text-red-700 ring-red-200"}`}
          >
            {r.number ?? r.sourceId ?? `#${i + 1}`}
          </button>
        ))}
      </div>
      {cur ? (
        <div>
          <p className="mb-1 flex items-center gap-2 text-xs">
            <Badge tone={STATUS_TONE[cur.status]}>{t(`preview.status.${cur.status}` as MessageKey)}</Badge>
            {cur.reasons.length ? <span className="text-amber-800">{cur.reasons.join("；")}</span> : null}
          </p>
          <div className="grid grid-cols-2 gap-2">
            <JsonPane title={t("preview.source")} value={cur.record} testId="preview-source" />
            <JsonPane title={t("preview.mapped")} value={cur.doc} errors={cur.errors} testId="preview-mapped" />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function JsonPane({ title, value, errors, testId }: { title: string; value: unknown; errors?: FieldError[]; testId: string }) {
  const { t } = useI18n();
  const bad = new Set((errors ?? []).map((e) => e.field.split(/[.[]/)[0]));
  const entries = value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value as Record<string, unknown>) : [];
  return (
    <div className="min-w-0 rounded-md border border-slate-200 bg-slate-50" data-testid={testId}>
      <p className="border-b border-slate-200 px-2 py-1 text-[11px] font-medium text-slate-500">{title}</p>
      <div className="max-h-72 overflow-auto px-2 py-1 font-mono text-[11px] leading-relaxed">
        {value === null ? <span className="text-slate-400">—</span> : null}
        {entries.map(([k, v]) => (
          <div key={k} className={bad.has(k) ? "rounded bg-red-100 text-red-800" : ""}>
            <span className="text-violet-700">{k}</span>: <span className="break-all text-slate-800">{JSON.stringify(v)}</span>
          </div>
        ))}
        {(errors ?? [])
          .filter((e) => !entries.some(([k]) => k === e.field.split(/[.[]/)[0]))
          .map((e, i) => (
            <div key={`e${i}`} className="rounded bg-red-100 text-red-800">
              <span>{e.field || t("preview.mapping")}</span>: ⚠ {e.message}
            </div>
          ))}
        {(errors ?? []).length ? (
          <ul className="mt-1 border-t border-red-200 pt-1 text-red-700">
            {(errors ?? []).map((e, i) => (
              <li key={i}>
                ⚠ {e.field}: {e.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

function SampleDialog({ onClose, sample, onSave }: { onClose: () => void; sample: Sample | null; onSave: (r: Record<string, unknown>[]) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => JSON.stringify(sample?.records ?? [{ id: "1", code: "S001", name: "示例店铺" }], null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("preview.editTitle")}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button
            variant="primary"
            onClick={() => {
              try {
                const v = JSON.parse(text) as unknown;
                const arr = (Array.isArray(v) ? v : [v]).filter((x) => x && typeof x === "object") as Record<string, unknown>[];
                onSave(arr.slice(0, 50));
                onClose();
              } catch {
                setError(t("field.jsonInvalid"));
              }
            }}
          >
            {t("common.save")}
          </Button>
        </>
      }
    >
      <label htmlFor="sample-json" className="mb-1 block text-sm font-medium text-slate-700">
        {t("preview.editLabel")}
      </label>
      <textarea id="sample-json" rows={14} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} className={`${ctl} font-mono text-xs`} />
      {error ? <p className="mt-1 text-xs text-red-600">{error}</p> : null}
    </Dialog>
  );
}

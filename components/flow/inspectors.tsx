"use client";
/**
 * Inspectors: the side panel that edits the selected node's data (source, target, filter, validate,
 * clean, flatten/split, DingTalk form) and, with nothing selected, the scheme's own settings. The
 * mapper has its own editor (mapper-editor.tsx).
 *
 * Why this exists: a business analyst configures a node by picking from the server's catalogue
 * (connections, APIs, forms) rather than typing identifiers; every value lands in the node's data
 * exactly as the flow schema names it (nothing here invents semantics), and the server's draft check
 * turns what is still missing into badges and the messages listed here.
 */
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { Badge } from "../ui/primitives";
import { pick, useCatalogue, type ApiEntry, type ConnectionEntry } from "./catalogue";
import { commaList, JsonField, KeyValueEditor, NumberField, Section, SelectField, TextField, toList, Toggle, ctl } from "./fields";
import type { AnyConfig, DocMeta } from "./model";

export interface InspectorProps {
  config: AnyConfig;
  set: (patch: AnyConfig) => void;
  meta: DocMeta;
  setSettings: (patch: Record<string, unknown>) => void;
  sampleFields: string[];
  /** the draft check's problems of this node, worded, by top-level field key ("connectionId", "formId", …) */
  errors?: ReadonlyMap<string, string>;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The value stored in a node for a connection: sandbox rows by their stable name, others by id. */
export function connectionRef(c: ConnectionEntry): string {
  return c.sandbox ? c.name : c.id;
}
export function findConnection(list: ConnectionEntry[], ref: unknown): ConnectionEntry | undefined {
  return list.find((c) => c.id === ref || c.name === ref);
}

function ConnectionPicker({ value, onChange, vendor, testId, error }: { value: unknown; onChange: (v: string) => void; vendor?: string; testId: string; error?: string }) {
  const { t } = useI18n();
  const { connections } = useCatalogue();
  const list = connections.filter((c) => !vendor || c.vendor === vendor);
  const current = findConnection(connections, value);
  return (
    <div>
      <SelectField
        label={t("inspector.connection")}
        required
        value={current ? connectionRef(current) : str(value)}
        onChange={onChange}
        placeholder={t("inspector.choose")}
        testId={testId}
        options={[
          ...list.map((c) => ({ value: connectionRef(c), label: `${c.name}${c.sandbox && !c.name.includes(t("connections.sandbox")) ? ` · ${t("connections.sandbox")}` : ""} — ${t(`vendor.${c.vendor}` as MessageKey)}` })),
          ...(value && !current ? [{ value: str(value), label: `${str(value)} — ${t("inspector.connectionMissing")}` }] : []),
        ]}
        hint={current?.sandbox ? t("inspector.sandboxHint") : !list.length ? t("inspector.noConnections") : undefined}
        error={error}
      />
      {current ? <p className="mt-1 truncate font-mono text-[11px] text-slate-400">{current.baseUrl}</p> : null}
    </div>
  );
}

const SKIP_OPTIONS = new Set(["pageSize", "params", "retry", "rateLimit", "detailRateLimit", "formId", "businessKeyField", "batchSize", "idField"]);
const NUMERIC_OPTIONS = new Set(["concurrency", "topRowCount", "BatchCount"]);
const JSON_OPTIONS = new Set(["definition", "useridList"]);

export function SourceInspector({ config, set, meta, setSettings, sampleFields, errors }: InspectorProps) {
  const { t, locale } = useI18n();
  const { apis } = useCatalogue();
  const api = apis.find((a) => a.id === config.apiId);
  const options = obj(config.options);
  const max = api?.maxPageSize ?? 10_000;
  const pageSize = num(config.pageSize);
  const incremental = obj(meta.settings.incremental);
  const rate = obj(config.rateLimit);
  const chooseApi = (id: string) => {
    const a = apis.find((x) => x.id === id);
    if (!a) return set({ apiId: id });
    const defaults = { ...a.defaultOptions } as Record<string, unknown>;
    const dPage = num(defaults.pageSize);
    delete defaults.pageSize;
    delete defaults.params;
    set({
      apiId: id,
      idField: config.idField || a.idField || "",
      numberField: config.numberField || a.numberField || undefined,
      pageSize: dPage !== undefined ? Math.min(dPage, a.maxPageSize ?? dPage) : config.pageSize,
      options: { ...defaults, ...options },
    });
  };
  return (
    <>
      <Section title={t("inspector.section.api")}>
        <SelectField
          label={t("inspector.api")}
          required
          value={str(config.apiId)}
          onChange={chooseApi}
          placeholder={t("inspector.choose")}
          testId="source-api"
          error={errors?.get("apiId")}
          options={apis.filter((a) => a.kind === "source").map((a) => ({ value: a.id, label: pick(a.label, locale) }))}
        />
        <ConnectionPicker value={config.connectionId} onChange={(v) => set({ connectionId: v })} vendor={api?.vendor} testId="source-connection" error={errors?.get("connectionId")} />
      </Section>
      <Section title={t("inspector.section.request")}>
        <KeyValueEditor label={t("inspector.params")} value={obj(config.params)} onChange={(v) => set({ params: v })} valueList="designer-variables" testId="source-params" />
        {errors?.get("params") ? (
          <p className="text-xs text-red-600" role="alert">
            {errors.get("params")}
          </p>
        ) : null}
        <p className="text-xs text-slate-500">{t("inspector.paramsHint")}</p>
        {api ? <ApiOptions api={api} options={options} onChange={(o) => set({ options: o })} /> : null}
      </Section>
      <Section title={t("inspector.section.paging")} aside={api ? <span className="text-xs text-slate-500" data-testid="source-paging">{t(`paging.${api.paging}` as MessageKey)}</span> : null}>
        <NumberField
          label={t("inspector.pageSize")}
          value={pageSize}
          min={1}
          max={max}
          testId="source-page-size"
          onChange={(v) => set({ pageSize: v === undefined ? undefined : Math.max(1, Math.min(v, max)) })}
          hint={api?.maxPageSize ? t("inspector.pageSizeMax", { max: api.maxPageSize }) : undefined}
          error={errors?.get("pageSize")}
        />
        <div className="grid grid-cols-2 gap-2">
          <TextField label={t("inspector.idField")} required value={str(config.idField)} onChange={(v) => set({ idField: v })} list="designer-sample-fields" mono testId="source-id-field" placeholder={api?.idField ?? "id"} error={errors?.get("idField")} />
          <TextField label={t("inspector.numberField")} value={str(config.numberField)} onChange={(v) => set({ numberField: v || undefined })} list="designer-sample-fields" mono placeholder={api?.numberField ?? "code"} />
        </div>
        <Toggle label={t("inspector.idCheck")} hint={t("inspector.idCheckHint")} checked={(config.idCheck as boolean | undefined) ?? (meta.settings.idCheck as boolean | undefined) ?? true} onChange={(v) => set({ idCheck: v })} />
      </Section>
      <Section title={t("inspector.section.incremental")}>
        <Toggle label={t("inspector.incremental")} hint={t("inspector.incrementalHint")} checked={incremental.enabled === true} onChange={(v) => setSettings({ incremental: { overlapSec: 300, ...incremental, enabled: v } })} testId="source-incremental" />
        {incremental.enabled ? (
          <div className="grid grid-cols-2 gap-2">
            <NumberField label={t("inspector.overlapSec")} value={num(incremental.overlapSec)} min={0} onChange={(v) => setSettings({ incremental: { ...incremental, overlapSec: v ?? 0 } })} />
            <NumberField label={t("inspector.lookbackSec")} value={num(incremental.initialLookbackSec)} min={0} placeholder="2592000" onChange={(v) => setSettings({ incremental: { ...incremental, initialLookbackSec: v } })} />
          </div>
        ) : null}
      </Section>
      <Section title={t("inspector.section.rate")}>
        <div className="grid grid-cols-2 gap-2">
          <NumberField label={t("inspector.perSecond")} value={num(rate.perSecond)} min={0} onChange={(v) => set({ rateLimit: v ? { ...rate, perSecond: v } : Object.keys(rate).length > 1 ? { ...rate, perSecond: undefined } : undefined })} />
          <NumberField label={t("inspector.burst")} value={num(rate.burst)} min={1} onChange={(v) => set({ rateLimit: { ...rate, burst: v } })} />
        </div>
        <p className="text-xs text-slate-500">{t("inspector.rateHint")}</p>
      </Section>
      <datalist id="designer-sample-fields">
        {sampleFields.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
    </>
  );
}

function ApiOptions({ api, options, onChange }: { api: ApiEntry; options: Record<string, unknown>; onChange: (o: Record<string, unknown>) => void }) {
  const { locale } = useI18n();
  const keys = Object.keys(api.optionDescriptions).filter((k) => !SKIP_OPTIONS.has(k));
  if (!keys.length) return null;
  return (
    <div className="space-y-3">
      {keys.map((k) => {
        const label = pick(api.optionDescriptions[k], locale);
        if (JSON_OPTIONS.has(k)) return <JsonField key={k} label={label} value={options[k]} onChange={(v) => onChange({ ...options, [k]: v })} rows={k === "definition" ? 8 : 2} />;
        if (NUMERIC_OPTIONS.has(k) || typeof api.defaultOptions[k] === "number")
          return <NumberField key={k} label={label} value={num(options[k])} onChange={(v) => onChange({ ...options, [k]: v })} min={0} />;
        return <TextField key={k} label={label} value={str(options[k])} mono onChange={(v) => onChange({ ...options, [k]: v || undefined })} testId={`source-option-${k}`} />;
      })}
    </div>
  );
}

const KINGDEE_FLAGS = ["IsAutoSubmitAndAudit", "IsVerifyBaseDataField", "IsDeleteEntry", "ValidateFlag", "NumberSearch", "IsEntryBatchFill", "IsControlPrecision", "ValidateRepeatJson", "IgnoreInterationFlag"] as const;

export function TargetInspector({ config, set, errors }: InspectorProps) {
  const { t, locale } = useI18n();
  const { apis, forms } = useCatalogue();
  const api = apis.find((a) => a.id === config.apiId);
  const options = obj(config.options);
  const form = forms.find((f) => f.formId.toLowerCase() === str(config.formId).toLowerCase());
  const setOpt = (k: string, v: unknown) => set({ options: { ...options, [k]: v } });
  return (
    <>
      <Section title={t("inspector.section.api")}>
        <SelectField
          label={t("inspector.operation")}
          required
          value={str(config.apiId)}
          onChange={(v) => set({ apiId: v })}
          placeholder={t("inspector.choose")}
          testId="target-api"
          error={errors?.get("apiId")}
          options={apis.filter((a) => a.kind === "target").map((a) => ({ value: a.id, label: pick(a.label, locale) }))}
        />
        <ConnectionPicker value={config.connectionId} onChange={(v) => set({ connectionId: v })} vendor={api?.vendor} testId="target-connection" error={errors?.get("connectionId")} />
        <div>
          <TextField
            label={t("inspector.formId")}
            required
            value={str(config.formId)}
            onChange={(v) => {
              const f = forms.find((x) => x.formId === v);
              set({ formId: v, ...(f && !config.businessKeyField ? { businessKeyField: f.businessKeyField } : {}) });
            }}
            list="designer-forms"
            mono
            testId="target-form"
            placeholder="BD_Customer"
            hint={form ? `${pick(form.label, locale)} · ${t("inspector.formFields", { n: form.fields.length })}` : t("inspector.formHint")}
            error={errors?.get("formId")}
          />
          <datalist id="designer-forms">
            {forms.map((f) => (
              <option key={f.formId} value={f.formId}>
                {pick(f.label, locale)}
              </option>
            ))}
          </datalist>
        </div>
      </Section>
      <Section title={t("inspector.section.batch")}>
        <div className="grid grid-cols-2 gap-2">
          <NumberField label={t("inspector.batchSize")} value={num(config.batchSize)} min={1} max={config.apiId === "kingdee.Save" ? 1 : 1000} placeholder="100" testId="target-batch-size" onChange={(v) => set({ batchSize: v === undefined ? undefined : Math.max(1, Math.min(v, 1000)) })} />
          <NumberField label={t("inspector.concurrency")} value={num(config.concurrency)} min={1} max={16} placeholder="2" onChange={(v) => set({ concurrency: v === undefined ? undefined : Math.max(1, Math.min(v, 16)) })} />
        </div>
        <TextField label={t("inspector.businessKey")} value={str(config.businessKeyField)} onChange={(v) => set({ businessKeyField: v || undefined })} mono placeholder={form?.businessKeyField ?? "FNumber"} hint={t("inspector.businessKeyHint")} error={errors?.get("businessKeyField")} />
        <Toggle label={t("inspector.lookupExisting")} hint={t("inspector.lookupExistingHint")} checked={config.lookupExisting === true} onChange={(v) => set({ lookupExisting: v || undefined })} testId="target-lookup-existing" />
      </Section>
      <Section title={t("inspector.section.kingdee")}>
        {KINGDEE_FLAGS.map((k) => (
          <Toggle
            key={k}
            label={`${t(`target.flag.${k}` as MessageKey)}`}
            hint={k}
            checked={options[k] === true}
            testId={`target-flag-${k}`}
            onChange={(v) => setOpt(k, v ? true : k === "ValidateFlag" || k === "NumberSearch" || k === "IsEntryBatchFill" || k === "IsDeleteEntry" ? false : undefined)}
          />
        ))}
        <TextField label={t("target.InterationFlags")} value={str(options.InterationFlags)} onChange={(v) => setOpt("InterationFlags", v || undefined)} mono placeholder="STK_InvCheckResult" />
        <TextField label={t("target.NeedUpDateFields")} value={commaList(options.NeedUpDateFields)} onChange={(v) => setOpt("NeedUpDateFields", toList(v))} mono hint={t("target.NeedUpDateFieldsHint")} />
        <TextField label={t("target.NeedReturnFields")} value={commaList(options.NeedReturnFields)} onChange={(v) => setOpt("NeedReturnFields", toList(v))} mono />
        <NumberField label={t("target.BatchCount")} value={num(options.BatchCount)} min={1} max={16} onChange={(v) => setOpt("BatchCount", v)} />
      </Section>
    </>
  );
}

const LOGICS = ["eq", "eqv2", "neq", "in", "notin", "gt", "egt", "lt", "elt", "like", "isNull", "notNull"] as const;
type Clause = { field: string; logic: string; value?: unknown };

export function FilterInspector({ config, set }: InspectorProps) {
  const { t } = useI18n();
  const raw = Array.isArray(config.condition) ? (config.condition as unknown[]) : [];
  const groups: Clause[][] = raw.length && raw.every((g) => Array.isArray(g)) ? (raw as Clause[][]) : raw.length ? [raw as Clause[]] : [[]];
  const write = (g: Clause[][]) => set({ condition: g });
  const setClause = (gi: number, ci: number, patch: Partial<Clause>) => write(groups.map((g, i) => (i === gi ? g.map((c, j) => (j === ci ? { ...c, ...patch } : c)) : g)));
  return (
    <Section title={t("inspector.section.filter")}>
      <p className="text-xs text-slate-500">{t("filter.hint")}</p>
      {groups.map((g, gi) => (
        <div key={gi}>
          {gi > 0 ? <p className="my-1 text-center text-xs font-semibold text-slate-400">{t("filter.or")}</p> : null}
          <fieldset className="space-y-1.5 rounded-md border border-slate-200 p-2">
            <legend className="px-1 text-xs text-slate-500">{t("filter.group", { n: gi + 1 })}</legend>
            {g.map((c, ci) => (
              <div key={ci} className="flex gap-1">
                <input aria-label={t("filter.field")} value={c.field} list="designer-sample-fields" onChange={(e) => setClause(gi, ci, { field: e.target.value })} className={`${ctl} w-1/3 font-mono text-xs`} placeholder="status" />
                <select aria-label={t("filter.logic")} value={c.logic} onChange={(e) => setClause(gi, ci, { logic: e.target.value })} className={`${ctl} w-24 text-xs`}>
                  {LOGICS.map((l) => (
                    <option key={l} value={l}>
                      {t(`filter.logic.${l}` as MessageKey)}
                    </option>
                  ))}
                </select>
                {c.logic === "isNull" || c.logic === "notNull" ? (
                  <span className="flex-1" />
                ) : (
                  <input
                    aria-label={t("filter.value")}
                    value={Array.isArray(c.value) ? c.value.join(",") : str(c.value)}
                    onChange={(e) => setClause(gi, ci, { value: c.logic === "in" || c.logic === "notin" ? e.target.value.split(",").map((s) => s.trim()) : e.target.value })}
                    className={`${ctl} flex-1 font-mono text-xs`}
                  />
                )}
                <button type="button" aria-label={t("field.remove")} onClick={() => write(groups.map((x, i) => (i === gi ? x.filter((_, j) => j !== ci) : x)).filter((x, i) => x.length || i === 0))} className="rounded px-1 text-slate-400 hover:text-red-600 focus-visible:outline-2 focus-visible:outline-brand-500">
                  ×
                </button>
              </div>
            ))}
            <button type="button" onClick={() => write(groups.map((x, i) => (i === gi ? [...x, { field: "", logic: "eq", value: "" }] : x)))} className="text-xs font-medium text-brand-700 hover:underline">
              + {t("filter.addClause")}
            </button>
          </fieldset>
        </div>
      ))}
      <button type="button" onClick={() => write([...groups, [{ field: "", logic: "eq", value: "" }]])} className="text-xs font-medium text-brand-700 hover:underline">
        + {t("filter.addGroup")}
      </button>
    </Section>
  );
}

const RULE_TYPES = ["required", "type", "regex", "enum", "range", "length"] as const;
const DATA_TYPES = ["string", "int", "number", "boolean", "object", "array", "datetime"] as const;
type Rule = Record<string, unknown> & { type: string };

function RuleList({ rules, onChange, types, render, title, addLabel }: { rules: Rule[]; onChange: (r: Rule[]) => void; types: readonly string[]; render: (r: Rule, set: (p: Partial<Rule>) => void) => React.ReactNode; title: string; addLabel: string }) {
  const { t } = useI18n();
  return (
    <Section title={title}>
      {rules.map((r, i) => {
        const setR = (p: Partial<Rule>) => onChange(rules.map((x, j) => (j === i ? ({ ...x, ...p } as Rule) : x)));
        return (
          <div key={i} className="space-y-1.5 rounded-md border border-slate-200 p-2">
            <div className="flex gap-1">
              <select aria-label={t("rule.type")} value={r.type} onChange={(e) => onChange(rules.map((x, j) => (j === i ? ({ type: e.target.value, ...(x.field !== undefined ? { field: x.field } : {}) } as Rule) : x)))} className={`${ctl} text-xs`}>
                {types.map((ty) => (
                  <option key={ty} value={ty}>
                    {t((ty === "type" ? "rule.type_" : `rule.${ty}`) as MessageKey)}
                  </option>
                ))}
              </select>
              <button type="button" aria-label={t("field.remove")} onClick={() => onChange(rules.filter((_, j) => j !== i))} className="rounded px-1.5 text-slate-400 hover:text-red-600 focus-visible:outline-2 focus-visible:outline-brand-500">
                ×
              </button>
            </div>
            {render(r, setR)}
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rules, { type: types[0], ...(types[0] === "required" ? { field: "" } : {}) } as Rule])} className="text-xs font-medium text-brand-700 hover:underline">
        + {addLabel}
      </button>
    </Section>
  );
}

export function ValidateInspector({ config, set }: InspectorProps) {
  const { t } = useI18n();
  const rules = (Array.isArray(config.rules) ? config.rules : []) as Rule[];
  return (
    <RuleList
      title={t("inspector.section.validate")}
      addLabel={t("rule.add")}
      rules={rules}
      types={RULE_TYPES}
      onChange={(r) => set({ rules: r })}
      render={(r, setR) => (
        <>
          <div className="grid grid-cols-2 gap-1.5">
            <input aria-label={t("rule.field")} value={str(r.field)} list="designer-sample-fields" onChange={(e) => setR({ field: e.target.value })} placeholder={t("rule.field")} className={`${ctl} font-mono text-xs`} />
            <input aria-label={t("rule.message")} value={str(r.message)} onChange={(e) => setR({ message: e.target.value || undefined })} placeholder={t("rule.message")} className={`${ctl} text-xs`} />
          </div>
          {r.type === "type" ? (
            <select aria-label={t("rule.dataType")} value={str(r.dataType) || "string"} onChange={(e) => setR({ dataType: e.target.value })} className={`${ctl} text-xs`}>
              {DATA_TYPES.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          ) : null}
          {r.type === "regex" ? <input aria-label={t("rule.pattern")} value={str(r.pattern)} onChange={(e) => setR({ pattern: e.target.value })} placeholder="^[A-Z0-9]+$" className={`${ctl} font-mono text-xs`} /> : null}
          {r.type === "enum" ? <input aria-label={t("rule.values")} value={commaList(r.values)} onChange={(e) => setR({ values: toList(e.target.value) ?? [] })} placeholder="A, B, C" className={`${ctl} font-mono text-xs`} /> : null}
          {r.type === "range" || r.type === "length" ? (
            <div className="grid grid-cols-2 gap-1.5">
              <input aria-label={t("rule.min")} type="number" value={num(r.min) ?? ""} onChange={(e) => setR({ min: e.target.value === "" ? undefined : Number(e.target.value) })} placeholder={t("rule.min")} className={`${ctl} text-xs`} />
              <input aria-label={t("rule.max")} type="number" value={num(r.max) ?? ""} onChange={(e) => setR({ max: e.target.value === "" ? undefined : Number(e.target.value) })} placeholder={t("rule.max")} className={`${ctl} text-xs`} />
            </div>
          ) : null}
        </>
      )}
    />
  );
}

const CLEAN_TYPES = ["dropEmpty", "normalizeWhitespace", "fullWidthToHalfWidth", "standardizeDates", "dropUnknown", "dedupe"] as const;

export function CleanInspector({ config, set }: InspectorProps) {
  const { t } = useI18n();
  const rules = (Array.isArray(config.rules) ? config.rules : []) as Rule[];
  return (
    <RuleList
      title={t("inspector.section.clean")}
      addLabel={t("rule.add")}
      rules={rules}
      types={CLEAN_TYPES}
      onChange={(r) => set({ rules: r })}
      render={(r, setR) =>
        r.type === "dropUnknown" ? (
          <input aria-label={t("clean.keep")} value={commaList(r.keep)} onChange={(e) => setR({ keep: toList(e.target.value) ?? [] })} placeholder={t("clean.keep")} className={`${ctl} font-mono text-xs`} />
        ) : r.type === "dedupe" ? (
          <input aria-label={t("clean.idField")} value={str(r.idField)} onChange={(e) => setR({ idField: e.target.value })} placeholder="id" className={`${ctl} font-mono text-xs`} />
        ) : (
          <>
            <input aria-label={t("clean.fields")} value={commaList(r.fields)} onChange={(e) => setR({ fields: toList(e.target.value) })} placeholder={t("clean.fieldsAll")} className={`${ctl} font-mono text-xs`} />
            {r.type === "standardizeDates" ? <input aria-label={t("clean.format")} value={str(r.format)} onChange={(e) => setR({ format: e.target.value || undefined })} placeholder="yyyy-MM-dd HH:mm:ss" className={`${ctl} font-mono text-xs`} /> : null}
          </>
        )
      }
    />
  );
}

export function StructuralInspector({ config, set, kind, errors }: InspectorProps & { kind: "flatten" | "split" }) {
  const { t } = useI18n();
  return (
    <Section title={t(kind === "flatten" ? "node.flatten" : "node.split")}>
      <TextField label={t("flatten.path")} required value={str(config.path)} onChange={(v) => set({ path: v })} list="designer-sample-fields" mono placeholder="details" hint={t(kind === "flatten" ? "flatten.hint" : "split.hint")} testId="flatten-path" error={errors?.get("path")} />
      {kind === "split" ? <NumberField label={t("split.size")} value={num(config.size)} min={1} onChange={(v) => set({ size: v })} /> : null}
    </Section>
  );
}

export function DingtalkFormInspector({ config, set }: InspectorProps) {
  const { t } = useI18n();
  return (
    <Section title={t("node.dingtalkForm")}>
      <TextField label={t("dingtalkForm.target")} value={str(config.target) || "form"} onChange={(v) => set({ target: v })} mono hint={t("dingtalkForm.hint")} />
      <SelectField label={t("dingtalkForm.keys")} value={str(config.keys) || "label"} onChange={(v) => set({ keys: v })} options={["label", "id", "both"].map((k) => ({ value: k, label: t(`dingtalkForm.keys.${k}` as MessageKey) }))} />
    </Section>
  );
}

/** With nothing selected: the scheme's name, description and run settings. */
export function SettingsInspector({ meta, setMeta, setSettings }: { meta: DocMeta; setMeta: (m: Partial<DocMeta>) => void; setSettings: (patch: Record<string, unknown>) => void }) {
  const { t } = useI18n();
  const s = meta.settings;
  const retry = obj(s.retry);
  const conc = obj(s.concurrency);
  return (
    <>
      <Section title={t("settings.section.scheme")}>
        <TextField label={t("flows.create.name")} value={meta.name} onChange={(v) => setMeta({ name: v })} required testId="settings-name" />
        <div>
          <label htmlFor="settings-description" className="mb-1 block text-xs font-medium text-slate-700">
            {t("flows.create.description")}
          </label>
          <textarea id="settings-description" rows={3} value={meta.description ?? ""} onChange={(e) => setMeta({ description: e.target.value })} className={ctl} />
        </div>
      </Section>
      <Section title={t("settings.section.run")}>
        <Toggle label={t("inspector.idCheck")} hint={t("inspector.idCheckHint")} checked={s.idCheck !== false} onChange={(v) => setSettings({ idCheck: v })} />
        <NumberField label={t("inspector.batchSize")} value={num(s.batchSize)} min={1} max={1000} placeholder="100" onChange={(v) => setSettings({ batchSize: v })} />
        <div className="grid grid-cols-2 gap-2">
          <NumberField label={t("settings.sourceConcurrency")} value={num(conc.source)} min={1} max={8} placeholder="1" testId="settings-source-concurrency" onChange={(v) => setSettings({ concurrency: { target: 2, ...conc, source: v === undefined ? 1 : Math.max(1, Math.min(v, 8)) } })} />
          <NumberField label={t("settings.targetConcurrency")} value={num(conc.target)} min={1} max={16} placeholder="2" onChange={(v) => setSettings({ concurrency: { source: 1, ...conc, target: v ?? 2 } })} />
        </div>
        <p className="text-xs text-slate-500">{t("settings.concurrencyHint")}</p>
      </Section>
      <Section title={t("settings.section.retry")}>
        <div className="grid grid-cols-3 gap-2">
          <NumberField label={t("settings.maxAttempts")} value={num(retry.maxAttempts)} min={1} max={20} placeholder="5" onChange={(v) => setSettings({ retry: { ...retry, maxAttempts: v } })} />
          <NumberField label={t("settings.baseDelay")} value={num(retry.baseDelayMs)} min={0} placeholder="500" onChange={(v) => setSettings({ retry: { ...retry, baseDelayMs: v } })} />
          <NumberField label={t("settings.maxDelay")} value={num(retry.maxDelayMs)} min={0} placeholder="30000" onChange={(v) => setSettings({ retry: { ...retry, maxDelayMs: v } })} />
        </div>
        <p className="text-xs text-slate-500">{t("settings.retryHint")}</p>
      </Section>
    </>
  );
}

export function SandboxBadge() {
  const { t } = useI18n();
  return <Badge tone="violet">{t("connections.sandbox")}</Badge>;
}

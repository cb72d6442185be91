"use client";
/**
 * Labelled form controls for the inspectors (text, number, toggle, select, JSON, key/value list).
 *
 * Why this exists: every inspector input must be labelled for screen readers and show keyboard focus;
 * building that once keeps the inspectors short and consistent. Controls are compact (the inspector
 * is a side panel at 1280×720).
 */
import { useId, useState, type ReactNode } from "react";
import { useT } from "../i18n/provider";

export const ctl =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500";

export function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="border-b border-slate-100 px-4 py-3">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
        {aside}
      </div>
      <div className="space-y-3">{children}</div>
    </section>
  );
}

function Label({ htmlFor, children, required }: { htmlFor: string; children: ReactNode; required?: boolean }) {
  return (
    <label htmlFor={htmlFor} className="mb-1 block text-xs font-medium text-slate-700">
      {children}
      {required ? <span className="ml-0.5 text-red-500" aria-hidden>*</span> : null}
    </label>
  );
}

function Hint({ text, error }: { text?: string; error?: string | null }) {
  if (error) return <p className="mt-1 text-xs text-red-600" role="alert">{error}</p>;
  return text ? <p className="mt-1 text-xs text-slate-500">{text}</p> : null;
}

export function TextField(props: { label: string; value: string | undefined; onChange: (v: string) => void; placeholder?: string; hint?: string; error?: string | null; list?: string; mono?: boolean; required?: boolean; testId?: string; disabled?: boolean }) {
  const id = useId();
  return (
    <div>
      <Label htmlFor={id} required={props.required}>
        {props.label}
      </Label>
      <input
        id={id}
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.target.value)}
        placeholder={props.placeholder}
        list={props.list}
        disabled={props.disabled}
        data-testid={props.testId}
        aria-invalid={props.error ? true : undefined}
        className={`${ctl} ${props.mono ? "font-mono text-xs" : ""} ${props.error ? "ring-red-400" : ""}`}
      />
      <Hint text={props.hint} error={props.error} />
    </div>
  );
}

export function NumberField(props: { label: string; value: number | undefined; onChange: (v: number | undefined) => void; min?: number; max?: number; hint?: string; error?: string | null; placeholder?: string; testId?: string; required?: boolean }) {
  const id = useId();
  return (
    <div>
      <Label htmlFor={id} required={props.required}>
        {props.label}
      </Label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        value={props.value ?? ""}
        min={props.min}
        max={props.max}
        placeholder={props.placeholder}
        data-testid={props.testId}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        className={`${ctl} ${props.error ? "ring-red-400" : ""}`}
      />
      <Hint text={props.hint} error={props.error} />
    </div>
  );
}

export function Toggle({ label, checked, onChange, hint, testId }: { label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string; testId?: string }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        data-testid={testId}
        onChange={(e) => onChange(e.target.checked)}
        className="mt-0.5 h-4 w-4 rounded border-slate-300 text-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      />
      <label htmlFor={id} className="text-sm text-slate-700">
        {label}
        {hint ? <span className="block text-xs text-slate-500">{hint}</span> : null}
      </label>
    </div>
  );
}

export function SelectField(props: { label: string; value: string | undefined; onChange: (v: string) => void; options: { value: string; label: string }[]; placeholder?: string; hint?: string; error?: string | null; testId?: string; required?: boolean }) {
  const id = useId();
  return (
    <div>
      <Label htmlFor={id} required={props.required}>
        {props.label}
      </Label>
      <select id={id} value={props.value ?? ""} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId} className={`${ctl} pr-8 ${props.error ? "ring-red-400" : ""}`}>
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Hint text={props.hint} error={props.error} />
    </div>
  );
}

/** A JSON value edited as text; applied when it parses, with the parse error shown otherwise. */
export function JsonField({ label, value, onChange, hint, rows = 5, testId }: { label: string; value: unknown; onChange: (v: unknown) => void; hint?: string; rows?: number; testId?: string }) {
  const t = useT();
  const id = useId();
  const [text, setText] = useState(() => (value === undefined ? "" : JSON.stringify(value, null, 2)));
  const [error, setError] = useState<string | null>(null);
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    // follow outside changes (undo) unless the text already means the same value
    setSeen(value);
    let same = false;
    try {
      same = JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
    } catch {
      /* replace unparsable text */
    }
    if (!same) setText(value === undefined ? "" : JSON.stringify(value, null, 2));
  }
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      <textarea
        id={id}
        rows={rows}
        value={text}
        spellCheck={false}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) {
            setError(null);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setError(null);
          } catch {
            setError(t("field.jsonInvalid"));
          }
        }}
        className={`${ctl} font-mono text-xs ${error ? "ring-red-400" : ""}`}
      />
      <Hint text={hint} error={error} />
    </div>
  );
}

/** Request parameters: rows of name → value (values may be templates such as {{LAST_SYNC_TIME|datetime}}). */
export function KeyValueEditor({ label, value, onChange, valueList, testId }: { label: string; value: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void; valueList?: string; testId?: string }) {
  const t = useT();
  const entries = Object.entries(value ?? {});
  const set = (i: number, k: string, v: unknown) => {
    const next = entries.map((e, j) => (j === i ? ([k, v] as [string, unknown]) : e));
    onChange(Object.fromEntries(next));
  };
  return (
    <fieldset data-testid={testId}>
      <legend className="mb-1 block text-xs font-medium text-slate-700">{label}</legend>
      <div className="space-y-1.5">
        {entries.map(([k, v], i) => (
          <div key={i} className="flex gap-1.5">
            <input aria-label={t("field.paramName")} value={k} onChange={(e) => set(i, e.target.value, v)} className={`${ctl} w-2/5 font-mono text-xs`} placeholder="modify_start_date" />
            <input
              aria-label={t("field.paramValue")}
              value={typeof v === "string" ? v : JSON.stringify(v)}
              list={valueList}
              onChange={(e) => set(i, k, e.target.value)}
              className={`${ctl} font-mono text-xs`}
              placeholder="{{LAST_SYNC_TIME|datetime}}"
            />
            <button type="button" onClick={() => onChange(Object.fromEntries(entries.filter((_, j) => j !== i)))} className="rounded px-1.5 text-slate-400 hover:bg-red-50 hover:text-red-600 focus-visible:outline-2 focus-visible:outline-brand-500" aria-label={t("field.remove")}>
              ×
            </button>
          </div>
        ))}
      </div>
      <button
        type="button"
        onClick={() => onChange({ ...Object.fromEntries(entries), [entries.some(([k]) => k === "") ? `param${entries.length + 1}` : ""]: "" })}
        className="mt-1.5 text-xs font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500"
      >
        + {t("field.addParam")}
      </button>
    </fieldset>
  );
}

export function commaList(v: unknown): string {
  return Array.isArray(v) ? v.join(", ") : typeof v === "string" ? v : "";
}
export function toList(s: string): string[] | undefined {
  const l = s.split(/[,，]/).map((x) => x.trim()).filter(Boolean);
  return l.length ? l : undefined;
}

/**
 * In-memory K3Cloud document store: compact documents per form, a per-(form, org, number)
 * index, Save/BatchSave validation, Submit/Audit/UnAudit/Delete state machine, View rendering,
 * and the ExecuteBillQuery engine (field resolution, filter, order, paging).
 *
 * Why this exists: reconciliation tests and benchmarks write up to a million customers and then
 * ask "nothing lost, nothing duplicated?"; documents are therefore stored as small arrays of
 * the provided values only, looked up by index, and every creation of a number is counted.
 */
import { createHash } from "node:crypto";
import { SANDBOX_DEPARTMENTS, SANDBOX_EMPLOYEES, SANDBOX_ORGS, type SandboxOrg } from "../common/org";
import { formatCstIso, parseCst } from "../common/time";
import { evalFilter, filterFields, parseFilter, type FilterNode, type Typed } from "./filter";
import { FORMS, type FieldDef, type FormDef } from "./forms";

export type Status = "A" | "B" | "C" | "D";

export interface Doc {
  id: number;
  number: string;
  org: string;
  status: Status;
  /** seconds since 2020-01-01 UTC (small integers keep a million documents compact) */
  created: number;
  modified: number;
  /** 0 = not audited */
  approved: number;
  /** values by position in form.fields (refs as number strings, dates as ms) */
  v: unknown[];
  /** entry rows: [entryId, ...values by position in form.entry.fields] */
  entries?: unknown[][];
}

export interface RowError {
  FieldName: string | null;
  Message: string;
}

export interface SaveOptions {
  needUpdateFields: string[];
  needReturnFields: string[];
  isDeleteEntry: boolean;
  verifyBaseData: boolean;
  autoAudit: boolean;
  validateRepeatJson: boolean;
  uniqueNumbers: boolean;
  /** decides whether this row is rejected by the rowFailureRate fault */
  injectFailure: () => boolean;
}

export type SaveResult = { ok: true; id: number; number: string; returnData?: Record<string, unknown> } | { ok: false; errors: RowError[] };

const STATUS_TEXT: Record<Status, string> = { A: "创建", B: "审核中", C: "已审核", D: "重新审核" };
const ORG_BY_NUMBER = new Map(SANDBOX_ORGS.map((o) => [o.number, o]));
const ORG_BY_ID = new Map(SANDBOX_ORGS.map((o) => [o.id, o]));

const EPOCH_S = Date.UTC(2020, 0, 1) / 1000;
/** now as seconds since 2020-01-01 */
function nowS(): number {
  return Math.floor(Date.now() / 1000) - EPOCH_S;
}
/** stored seconds → ms */
export function msOf(s: number): number {
  return (EPOCH_S + s) * 1000;
}

function lc(s: string): string {
  return s.toLowerCase();
}

function keyOf(org: string, number: string): string {
  return `${org}\u0001${number}`;
}

/** Case-insensitive lookups on one object, with the lower-cased key map built once. */
export function ciView(obj: Record<string, unknown>): (key: string) => { found: boolean; value: unknown } {
  const keys = new Map<string, string>();
  for (const k of Object.keys(obj)) keys.set(lc(k), k);
  return (key) => {
    if (Object.prototype.hasOwnProperty.call(obj, key)) return { found: true, value: obj[key] };
    const k = keys.get(lc(key));
    return k === undefined ? { found: false, value: undefined } : { found: true, value: obj[k] };
  };
}

/** Case-insensitive own-property lookup. */
export function getCI(obj: Record<string, unknown>, key: string): { found: boolean; value: unknown; key: string } {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return { found: true, value: obj[key], key };
  const l = lc(key);
  for (const k of Object.keys(obj)) if (lc(k) === l) return { found: true, value: obj[k], key: k };
  return { found: false, value: undefined, key };
}

/** (org, number) → row, as one map per organisation. */
export class KeyIndex {
  private orgs = new Map<string, Map<string, number>>();
  get(org: string, number: string): number | undefined {
    return this.orgs.get(org)?.get(number);
  }
  set(org: string, number: string, row: number): void {
    let m = this.orgs.get(org);
    if (!m) this.orgs.set(org, (m = new Map()));
    m.set(number, row);
  }
  delete(org: string, number: string): void {
    this.orgs.get(org)?.delete(number);
  }
}

export class FormTable {
  rows: (Doc | undefined)[] = [];
  live = 0;
  /** org number → business number → row (no concatenated key strings: compact at 1M rows) */
  byKey = new KeyIndex();
  /** keys whose document was deleted (a later create of the same key is a re-creation) */
  deletedKeys = new Set<string>();
  /** key → times a document with this (org, number) was created, for keys created ≥ 2 times */
  createdAgain = new Map<string, number>();
  repeatHashes = new Set<string>();
  hasDuplicates = false;
  nextEntryId = 1;
  readonly pos: Map<string, number>;
  readonly entryPos: Map<string, number>;
  autoSeq = 0;

  constructor(readonly form: FormDef) {
    this.pos = new Map(form.fields.map((f, i) => [lc(f.key), i]));
    this.entryPos = new Map((form.entry?.fields ?? []).map((f, i) => [lc(f.key), i]));
  }

  byId(id: number): Doc | undefined {
    const i = id - this.form.idBase;
    return Number.isInteger(i) && i >= 0 ? this.rows[i] : undefined;
  }

  find(org: string, number: string): Doc | undefined {
    const r = this.byKey.get(org, number);
    return r === undefined ? undefined : this.rows[r];
  }

  /** documents with this number in any org (org id 0) or in the given org id */
  findByNumber(number: string, orgId = 0): Doc[] {
    const out: Doc[] = [];
    if (this.hasDuplicates) {
      for (const d of this.rows) if (d && d.number === number && (orgId === 0 || ORG_BY_NUMBER.get(d.org)?.id === orgId)) out.push(d);
      return out;
    }
    for (const o of SANDBOX_ORGS) {
      if (orgId !== 0 && o.id !== orgId) continue;
      const d = this.find(o.number, number);
      if (d) out.push(d);
    }
    return out;
  }

  val(doc: Doc, key: string): unknown {
    const p = this.pos.get(lc(key));
    return p === undefined ? undefined : doc.v[p];
  }
}

export class Store {
  tables = new Map<string, FormTable>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.tables = new Map(Object.values(FORMS).map((f) => [f.formId, new FormTable(f)]));
    this.seed();
  }

  table(formId: string): FormTable {
    return this.tables.get(formId) as FormTable;
  }

  /** Seeded base data (audited): departments and employees of org 100 (see common/org.ts). */
  private seed(): void {
    const opts: SaveOptions = {
      needUpdateFields: [],
      needReturnFields: [],
      isDeleteEntry: true,
      verifyBaseData: false,
      autoAudit: true,
      validateRepeatJson: false,
      uniqueNumbers: true,
      injectFailure: () => false,
    };
    for (const d of SANDBOX_DEPARTMENTS) {
      this.save(FORMS.BD_Department, { FNumber: d.kingdeeNumber, FName: d.name, FFullName: `数桥集团/${d.name}`, FCreateOrgId: { FNumber: "100" } }, opts);
    }
    for (const e of SANDBOX_EMPLOYEES) {
      this.save(
        FORMS.BD_Empinfo,
        {
          FNumber: e.kingdeeStaffNumber,
          FStaffNumber: e.kingdeeStaffNumber,
          FName: e.name,
          FCreateOrgId: { FNumber: "100" },
          FDeptId: { FNumber: SANDBOX_DEPARTMENTS[e.dept].kingdeeNumber },
        },
        opts,
      );
    }
  }

  // ------------------------------------------------------------ references

  resolveRef(kind: FieldDef["ref"], number: string, docOrg: string): { id: number; number: string; name: string } | undefined {
    if (kind === "org") {
      const o = ORG_BY_NUMBER.get(number);
      return o ? { id: o.id, number: o.number, name: o.name } : undefined;
    }
    if (kind === "dept" || kind === "staff") {
      const t = this.table(kind === "dept" ? "BD_Department" : "BD_Empinfo");
      let d = t.find(docOrg, number);
      if (!d) d = t.findByNumber(number).find((x) => x.status === "C");
      if (!d) return undefined;
      return { id: d.id, number: d.number, name: String(t.val(d, "FName") ?? "") };
    }
    return undefined;
  }

  private isUsable(kind: FieldDef["ref"], number: string, docOrg: string): boolean {
    if (kind === "org") return ORG_BY_NUMBER.has(number);
    const t = this.table(kind === "dept" ? "BD_Department" : "BD_Empinfo");
    const d = t.find(docOrg, number) ?? t.findByNumber(number)[0];
    return !!d && d.status === "C";
  }

  // ------------------------------------------------------------ save

  private parseValue(f: FieldDef, raw: unknown): { ok: true; value: unknown } | { ok: false; msg: string } {
    const bad = (): { ok: false; msg: string } => ({ ok: false, msg: `字段“${f.label}”(${f.key})的值${JSON.stringify(raw)?.slice(0, 60)}格式不正确` });
    if (raw === null || raw === undefined) return { ok: true, value: undefined };
    switch (f.type) {
      case "string": {
        if (typeof raw === "string") return { ok: true, value: raw === "" ? undefined : raw };
        if (typeof raw === "number" || typeof raw === "boolean") return { ok: true, value: String(raw) };
        if (Array.isArray(raw)) {
          // multilingual [{"Key":2052,"Value":"…"}]
          const pick = (raw as Record<string, unknown>[]).find((x) => x && Number(x.Key) === 2052) ?? (raw[0] as Record<string, unknown> | undefined);
          if (pick && typeof pick.Value === "string") return { ok: true, value: pick.Value };
        }
        return bad();
      }
      case "number": {
        if (typeof raw === "number" && Number.isFinite(raw)) return { ok: true, value: raw };
        if (typeof raw === "string") {
          if (raw.trim() === "") return { ok: true, value: undefined };
          const n = Number(raw);
          if (Number.isFinite(n)) return { ok: true, value: n };
        }
        return bad();
      }
      case "bool": {
        if (typeof raw === "boolean") return { ok: true, value: raw };
        if (raw === 1 || raw === "1" || raw === "true" || raw === "True") return { ok: true, value: true };
        if (raw === 0 || raw === "0" || raw === "false" || raw === "False") return { ok: true, value: false };
        return bad();
      }
      case "date": {
        if (typeof raw !== "string") return bad();
        if (raw.trim() === "") return { ok: true, value: undefined };
        const t = parseCst(raw);
        return Number.isNaN(t) ? bad() : { ok: true, value: t };
      }
      case "ref": {
        // CHOICE: a reference is {"FNumber": "…"} (key case-insensitive; {"FStaffNumber": "…"}
        // for staff) or a bare number string; resolved by number (NumberSearch).
        if (typeof raw === "string") return { ok: true, value: raw === "" ? undefined : raw };
        if (typeof raw === "number") return { ok: true, value: String(raw) };
        if (typeof raw === "object" && !Array.isArray(raw)) {
          const o = raw as Record<string, unknown>;
          for (const k of ["FNumber", "FStaffNumber", "Number"]) {
            const g = getCI(o, k);
            if (g.found) {
              if (g.value === null || g.value === "" || g.value === undefined) return { ok: true, value: undefined };
              if (typeof g.value === "string" || typeof g.value === "number") return { ok: true, value: String(g.value) };
              return bad();
            }
          }
          if (Object.keys(o).length === 0) return { ok: true, value: undefined };
        }
        return bad();
      }
    }
  }

  save(form: FormDef, model: unknown, opts: SaveOptions): SaveResult {
    const t = this.table(form.formId);
    if (typeof model !== "object" || model === null || Array.isArray(model)) {
      return { ok: false, errors: [{ FieldName: null, Message: "Model 必须是一个JSON对象" }] };
    }
    const m = model as Record<string, unknown>;
    if (opts.injectFailure()) {
      return { ok: false, errors: [{ FieldName: null, Message: "模拟的数据校验失败（rowFailureRate）：保存被拒绝" }] };
    }
    const errors: RowError[] = [];
    const get = ciView(m);
    // update path: the internal id field set and non-zero
    const idRaw = get(form.idField).value;
    const idNum = typeof idRaw === "number" ? idRaw : typeof idRaw === "string" && /^\d+$/.test(idRaw.trim()) ? Number(idRaw) : 0;
    if (idRaw !== undefined && idRaw !== null && idRaw !== "" && idRaw !== 0 && idNum === 0) {
      return { ok: false, errors: [{ FieldName: form.idField, Message: `内码字段${form.idField}的值${JSON.stringify(idRaw)}不正确` }] };
    }
    const existing = idNum > 0 ? t.byId(idNum) : undefined;
    if (idNum > 0 && !existing) {
      return { ok: false, errors: [{ FieldName: form.idField, Message: `${form.name}内码为${idNum}的数据不存在或已被删除` }] };
    }
    if (existing && (existing.status === "B" || existing.status === "C")) {
      return { ok: false, errors: [{ FieldName: null, Message: `${form.name}“${existing.number}”当前状态为${STATUS_TEXT[existing.status]}，不允许修改保存` }] };
    }
    // CHOICE: update with NeedUpDateFields → only those keys change; update without it is a full
    // save: fields absent from the Model are cleared (the number is kept when absent). Documents
    // in B (审核中) or C (已审核) refuse Save.
    // which keys of the model apply
    const only = opts.needUpdateFields.length && existing ? new Set(opts.needUpdateFields.map(lc)) : undefined;
    const applies = (key: string) => !only || only.has(lc(key));

    const v: unknown[] = existing && only ? [...existing.v] : [];
    for (let i = 0; i < form.fields.length; i++) {
      const f = form.fields[i];
      const g = get(f.key);
      if (!g.found || !applies(f.key)) continue;
      const r = this.parseValue(f, g.value);
      if (!r.ok) errors.push({ FieldName: f.key, Message: r.msg });
      // organisation numbers are interned: a million documents share one "100" string
      else v[i] = f.ref === "org" && typeof r.value === "string" ? (ORG_BY_NUMBER.get(r.value)?.number ?? r.value) : r.value;
    }
    // number
    const ng = get(form.numberField);
    let number = existing?.number ?? "";
    if (ng.found && applies(form.numberField)) {
      if (ng.value === null || ng.value === undefined || ng.value === "") number = existing?.number ?? "";
      else if (typeof ng.value === "string" || typeof ng.value === "number") number = String(ng.value).trim();
      else errors.push({ FieldName: form.numberField, Message: `字段${form.numberField}的值格式不正确` });
    }
    // defaults on create
    if (!existing) {
      form.fields.forEach((f, i) => {
        if (v[i] === undefined && f.dflt !== undefined) v[i] = f.dflt;
      });
      const fd = t.pos.get("fdate");
      if (fd !== undefined && v[fd] === undefined) v[fd] = Date.now();
    }
    const orgPos = t.pos.get(lc(form.orgField)) as number;
    const usePos = t.pos.get("fuseorgid");
    if (usePos !== undefined && v[usePos] === undefined) v[usePos] = v[orgPos];
    const org = typeof v[orgPos] === "string" ? (v[orgPos] as string) : "";

    // entries
    let entries: unknown[][] | undefined = existing?.entries;
    if (form.entry) {
      const eg = get(form.entry.key);
      if (eg.found && applies(form.entry.key)) {
        if (!Array.isArray(eg.value)) errors.push({ FieldName: form.entry.key, Message: `${form.entry.label}(${form.entry.key})必须是数组` });
        else {
          const prev = new Map((existing?.entries ?? []).map((e) => [e[0] as number, e]));
          const next: unknown[][] = [];
          eg.value.forEach((row: unknown, ri: number) => {
            if (typeof row !== "object" || row === null || Array.isArray(row)) {
              errors.push({ FieldName: form.entry?.key ?? null, Message: `${form.entry?.label}第${ri + 1}行不是对象` });
              return;
            }
            const r = row as Record<string, unknown>;
            const eid = Number(getCI(r, form.entry?.idField ?? "FEntryID").value ?? 0);
            const base = eid > 0 && prev.has(eid) ? [...(prev.get(eid) as unknown[])] : [t.nextEntryId++];
            if (eid > 0) prev.delete(eid);
            form.entry?.fields.forEach((f, fi) => {
              const g = getCI(r, f.key);
              if (!g.found) return;
              const pv = this.parseValue(f, g.value);
              if (!pv.ok) errors.push({ FieldName: f.key, Message: `${form.entry?.label}第${ri + 1}行：${pv.msg}` });
              else base[fi + 1] = pv.value;
            });
            next.push(base);
          });
          if (!opts.isDeleteEntry && existing) next.unshift(...prev.values());
          entries = next;
        }
      }
      const sumPos = t.pos.get("freqamountsum");
      if (sumPos !== undefined && entries) {
        const amtPos = (t.entryPos.get("forgamount") ?? -1) + 1;
        v[sumPos] = Math.round(entries.reduce((s, e) => s + (Number(e[amtPos]) || 0), 0) * 100) / 100;
      }
    }
    if (errors.length) return { ok: false, errors };

    // auto bill number
    if (!number && form.autoPrefix) {
      do {
        t.autoSeq++;
        number = `${form.autoPrefix}${String(t.autoSeq).padStart(6, "0")}`;
      } while (t.find(org, number));
    }
    // required fields
    if (!number) errors.push({ FieldName: form.numberField, Message: `字段“编码”(${form.numberField})是必填项` });
    form.fields.forEach((f, i) => {
      if (f.required && (v[i] === undefined || v[i] === "")) errors.push({ FieldName: f.key, Message: `字段“${f.label}”(${f.key})是必填项` });
    });
    if (form.entry) {
      if (form.entry.required && (!entries || entries.length === 0))
        errors.push({ FieldName: form.entry.key, Message: `${form.entry.label}(${form.entry.key})至少需要一行` });
      entries?.forEach((e, ri) =>
        form.entry?.fields.forEach((f, fi) => {
          if (f.required && (e[fi + 1] === undefined || e[fi + 1] === ""))
            errors.push({ FieldName: f.key, Message: `${form.entry?.label}第${ri + 1}行：字段“${f.label}”(${f.key})是必填项` });
          if (f.type === "number" && typeof e[fi + 1] === "number" && (e[fi + 1] as number) < 0 && f.key === "FOrgAmount")
            errors.push({ FieldName: f.key, Message: `${form.entry?.label}第${ri + 1}行：${f.label}不能为负数` });
        }),
      );
    }
    // references
    const checkRef = (f: FieldDef, value: unknown, where: string) => {
      if (typeof value !== "string" || !f.ref || f.ref === "other") return;
      if (f.ref === "org" && !ORG_BY_NUMBER.has(value)) {
        // CHOICE: organisations are always resolved (even with IsVerifyBaseDataField false).
        errors.push({ FieldName: f.key, Message: `${where}字段“${f.label}”(${f.key})的值“${value}”对应的组织不存在` });
        return;
      }
      // CHOICE: dept/staff references are verified only when IsVerifyBaseDataField is true;
      // then they must exist and be audited. Otherwise they are stored as given.
      if (opts.verifyBaseData && !this.isUsable(f.ref, value, org))
        errors.push({ FieldName: f.key, Message: `${where}字段“${f.label}”(${f.key})的基础资料“${value}”不存在或未审核` });
    };
    form.fields.forEach((f, i) => checkRef(f, v[i], ""));
    entries?.forEach((e, ri) => form.entry?.fields.forEach((f, fi) => checkRef(f, e[fi + 1], `${form.entry?.label}第${ri + 1}行：`)));
    if (errors.length) return { ok: false, errors };

    // CHOICE: uniqueness is per (form, create org = FCreateOrgId / FOrgID, number), exact case,
    // for base data and bills alike; config uniqueNumbers:false turns it off.
    // uniqueness of (form, org, number)
    const key = keyOf(org, number);
    const clash = t.byKey.get(org, number);
    if (clash !== undefined && t.rows[clash] && t.rows[clash] !== existing && opts.uniqueNumbers) {
      const what = form.kind === "base" ? "编码" : "单据编号";
      return {
        ok: false,
        errors: [{ FieldName: form.numberField, Message: `${form.name}${what}唯一性验证未通过：${what}“${number}”在组织“${org}”中已经存在` }],
      };
    }
    if (opts.validateRepeatJson) {
      const h = createHash("md5").update(JSON.stringify(m)).digest("base64");
      if (t.repeatHashes.has(h)) return { ok: false, errors: [{ FieldName: null, Message: "重复提交：相同的数据包已经提交过（ValidateRepeatJson）" }] };
      t.repeatHashes.add(h);
    }

    // persist: an exact-length copy (a growing [] keeps ~17 slots of backing store)
    let last = v.length - 1;
    while (last >= 0 && v[last] === undefined) last--;
    const vals = v.slice(0, last + 1);
    let doc: Doc;
    if (existing) {
      const oldKey = keyOf(existing.org, existing.number);
      if (oldKey !== key) {
        t.deletedKeys.add(oldKey);
        if (t.byKey.get(existing.org, existing.number) === existing.id - form.idBase) t.byKey.delete(existing.org, existing.number);
        if (t.byKey.get(org, number) === undefined) t.byKey.set(org, number, existing.id - form.idBase);
      }
      existing.number = number;
      existing.org = org;
      existing.v = vals;
      existing.entries = entries;
      existing.modified = nowS();
      doc = existing;
    } else {
      const row = t.rows.length;
      const t0 = nowS();
      doc = { id: form.idBase + row, number, org, status: "A", created: t0, modified: t0, approved: 0, v: vals };
      if (entries) doc.entries = entries;
      t.rows.push(doc);
      t.live++;
      const present = t.byKey.get(org, number) !== undefined;
      const again = present || t.deletedKeys.has(key);
      if (again) t.createdAgain.set(key, (t.createdAgain.get(key) ?? 1) + 1);
      if (present) t.hasDuplicates = true;
      else t.byKey.set(org, number, row);
    }
    // CHOICE: IsAutoSubmitAndAudit moves a saved document straight to C (audited); a failing
    // auto-audit cannot happen in the simulator.
    if (opts.autoAudit) {
      doc.status = "C";
      doc.approved = nowS();
    }
    const result: SaveResult = { ok: true, id: doc.id, number: doc.number };
    if (opts.needReturnFields.length) {
      const rd: Record<string, unknown> = {};
      for (const k of opts.needReturnFields) {
        const r = this.resolveField(form, k);
        if (r) rd[k] = r.out(doc, -1);
      }
      result.returnData = rd;
    }
    return result;
  }

  // ------------------------------------------------------------ operations

  /** Targets by Ids (comma string/array/number) or Numbers, restricted to CreateOrgId (0 = any). */
  targets(form: FormDef, data: Record<string, unknown>): { docs: (Doc | string)[] } | { error: string } {
    const t = this.table(form.formId);
    const orgIdRaw = getCI(data, "CreateOrgId").value;
    const orgId = typeof orgIdRaw === "number" ? orgIdRaw : Number(orgIdRaw ?? 0) || 0;
    const idsRaw = getCI(data, "Ids").value;
    const numsRaw = getCI(data, "Numbers").value;
    const out: (Doc | string)[] = [];
    const ids =
      typeof idsRaw === "string" ? idsRaw.split(",").map((s) => s.trim()).filter(Boolean) : Array.isArray(idsRaw) ? idsRaw.map(String) : typeof idsRaw === "number" ? [String(idsRaw)] : [];
    const nums = Array.isArray(numsRaw) ? numsRaw.map(String) : typeof numsRaw === "string" && numsRaw ? numsRaw.split(",").map((s) => s.trim()) : [];
    if (!ids.length && !nums.length) return { error: "Numbers和Ids不能同时为空" };
    for (const id of ids) out.push(t.byId(Number(id)) ?? `内码为${id}的${form.name}不存在`);
    for (const n of nums) {
      const found = t.findByNumber(n, orgId);
      out.push(found[0] ?? `编码为${n}的${form.name}不存在`);
    }
    return { docs: out };
  }

  operate(form: FormDef, op: "Submit" | "Audit" | "UnAudit" | "Delete", doc: Doc): string | null {
    const t = this.table(form.formId);
    const s = doc.status;
    const refuse = (what: string) => `${form.name}“${doc.number}”当前状态为${STATUS_TEXT[s]}，${what}`;
    switch (op) {
      case "Submit":
        if (s !== "A" && s !== "D") return refuse("不能提交");
        doc.status = "B";
        break;
      case "Audit":
        // CHOICE: Audit requires a submitted (B) document.
        if (s !== "B") return refuse(s === "C" ? "不能重复审核" : "请先提交再审核");
        doc.status = "C";
        doc.approved = nowS();
        break;
      case "UnAudit":
        if (s !== "C") return refuse("不能反审核");
        doc.status = "D";
        doc.approved = 0;
        break;
      case "Delete": {
        // CHOICE: only A (创建) and D (重新审核) documents can be deleted.
        if (s === "B" || s === "C") return refuse(s === "C" ? "已审核的数据不允许删除" : "审核中的数据不允许删除");
        const row = doc.id - form.idBase;
        t.rows[row] = undefined;
        t.live--;
        const key = keyOf(doc.org, doc.number);
        t.deletedKeys.add(key);
        if (t.byKey.get(doc.org, doc.number) === row) {
          t.byKey.delete(doc.org, doc.number);
          if (t.hasDuplicates) {
            const other = t.rows.findIndex((d) => d && d.org === doc.org && d.number === doc.number);
            if (other >= 0) t.byKey.set(doc.org, doc.number, other);
          }
        }
        break;
      }
    }
    doc.modified = nowS();
    return null;
  }

  // ------------------------------------------------------------ rendering

  private refObj(kind: FieldDef["ref"], number: unknown, docOrg: string): Record<string, unknown> | null {
    if (typeof number !== "string") return null;
    const r = this.resolveRef(kind, number, docOrg);
    return { Id: r?.id ?? 0, Number: number, Name: [{ Key: 2052, Value: r?.name ?? "" }] };
  }

  /** CHOICE: View's inner document uses keys without the leading "F", references as
   * {Id, Number, Name:[{Key:2052,Value}]}, multilingual Name, ISO dates, entries with Id. */
  renderView(form: FormDef, doc: Doc): Record<string, unknown> {
    const out: Record<string, unknown> = { Id: doc.id, [form.numberField.slice(1)]: doc.number, DocumentStatus: doc.status, ForbidStatus: "A" };
    form.fields.forEach((f, i) => {
      const val = doc.v[i];
      const k = f.key.slice(1);
      if (f.type === "ref") out[k] = this.refObj(f.ref, val, doc.org);
      else if (f.type === "date") out[k] = typeof val === "number" ? formatCstIso(val) : null;
      else if (f.key === "FName") out[k] = [{ Key: 2052, Value: val ?? "" }];
      else out[k] = val ?? null;
    });
    out.CreateDate = formatCstIso(msOf(doc.created));
    out.ModifyDate = formatCstIso(msOf(doc.modified));
    out.ApproveDate = doc.approved ? formatCstIso(msOf(doc.approved)) : null;
    if (form.entry && doc.entries) {
      out[form.entry.key.slice(1)] = doc.entries.map((e) => {
        const row: Record<string, unknown> = { Id: e[0] };
        form.entry?.fields.forEach((f, fi) => {
          row[f.key.slice(1)] = f.type === "ref" ? this.refObj(f.ref, e[fi + 1], doc.org) : (e[fi + 1] ?? null);
        });
        return row;
      });
    }
    return out;
  }

  /** Flat rendering for /__sandbox/documents: field keys as saved, refs as their numbers. */
  renderPlain(form: FormDef, doc: Doc): Record<string, unknown> {
    const out: Record<string, unknown> = { [form.idField]: doc.id, [form.numberField]: doc.number, FDocumentStatus: doc.status };
    form.fields.forEach((f, i) => {
      const val = doc.v[i];
      if (val === undefined) return;
      out[f.key] = f.type === "date" && typeof val === "number" ? formatCstIso(val) : val;
    });
    if (form.entry && doc.entries) {
      out[form.entry.key] = doc.entries.map((e) => {
        const row: Record<string, unknown> = { [form.entry?.idField ?? "FEntryID"]: e[0] };
        form.entry?.fields.forEach((f, fi) => {
          if (e[fi + 1] !== undefined) row[f.key] = e[fi + 1];
        });
        return row;
      });
    }
    out.FCreateDate = formatCstIso(msOf(doc.created));
    out.FModifyDate = formatCstIso(msOf(doc.modified));
    return out;
  }

  // ------------------------------------------------------------ query

  /**
   * CHOICE: query values: ids/numbers as JSON numbers, dates as "yyyy-MM-ddTHH:mm:ss" (UTC+8),
   * booleans as true/false, absent values as null; a bare reference key (FCreateOrgId) yields the
   * referenced internal id, `.FNumber` / `.FName` its number / name; entry fields
   * (FEntity_FEntryID, FOrgAmount, FExpenseItemID.FNumber) expand the result to one row per entry.
   * Resolves a FieldKeys / FilterString key. `entry` is true for entry-level fields (rows then
   * expand per entry row). Returns null for an unknown field (→ MsgCode 9).
   */
  resolveField(form: FormDef, rawKey: string): { entry: boolean; read: (d: Doc, e: number) => Typed; out: (d: Doc, e: number) => unknown } | null {
    const key = rawKey.trim();
    const l = lc(key);
    const t = this.table(form.formId);
    const typed = (type: NonNullable<Typed>["type"], v: unknown): Typed =>
      v === undefined || v === null ? null : { type, v: v as string | number | boolean };
    const render = (x: Typed): unknown => (x === null ? null : x.type === "date" ? formatCstIso(x.v as number) : x.v);
    const mk = (entry: boolean, read: (d: Doc, e: number) => Typed) => ({ entry, read, out: (d: Doc, e: number) => render(read(d, e)) });

    if (l === lc(form.idField)) return mk(false, (d) => typed("number", d.id));
    if (l === lc(form.numberField)) return mk(false, (d) => typed("string", d.number));
    if (l === "fdocumentstatus") return mk(false, (d) => typed("string", d.status));
    if (l === "fforbidstatus") return mk(false, () => typed("string", "A"));
    if (l === "fcreatedate") return mk(false, (d) => typed("date", msOf(d.created)));
    if (l === "fmodifydate") return mk(false, (d) => typed("date", msOf(d.modified)));
    if (l === "fapprovedate") return mk(false, (d) => typed("date", d.approved ? msOf(d.approved) : undefined));

    const [head, sub, ...rest] = key.split(".");
    if (rest.length) return null;
    const lh = lc(head);
    const refRead = (f: FieldDef, get: (d: Doc, e: number) => unknown) => {
      if (sub === undefined) {
        // a bare reference field yields the referenced internal id
        return mk(false, (d, e) => {
          const n = get(d, e);
          if (typeof n !== "string") return null;
          if (f.ref === "other") return typed("number", 0);
          return typed("number", this.resolveRef(f.ref, n, d.org)?.id ?? 0);
        });
      }
      const ls = lc(sub);
      if (ls === "fnumber" || ls === "fstaffnumber") return mk(false, (d, e) => typed("string", get(d, e)));
      if (ls === "fname")
        return mk(false, (d, e) => {
          const n = get(d, e);
          return typeof n === "string" ? typed("string", this.resolveRef(f.ref, n, d.org)?.name ?? "") : null;
        });
      return null;
    };
    const p = t.pos.get(lh);
    if (p !== undefined) {
      const f = form.fields[p];
      if (f.type === "ref") return refRead(f, (d) => d.v[p]);
      if (sub !== undefined) return null;
      const ft = f.type;
      return mk(false, (d) => typed(ft, d.v[p]));
    }
    if (form.entry) {
      const ek = lc(form.entry.key);
      if (l === `${ek}_${lc(form.entry.idField)}` || l === lc(form.entry.idField)) {
        return { ...mk(true, (d, e) => (e >= 0 && d.entries ? typed("number", d.entries[e][0]) : null)), entry: true };
      }
      const ename = lh.startsWith(`${ek}_`) ? lh.slice(ek.length + 1) : lh;
      const ep = t.entryPos.get(ename);
      if (ep !== undefined) {
        const f = form.entry.fields[ep];
        const get = (d: Doc, e: number) => (e >= 0 && d.entries ? d.entries[e][ep + 1] : undefined);
        const ft = f.type;
        const r = ft === "ref" ? refRead(f, get) : sub === undefined ? mk(false, (d, e) => typed(ft, get(d, e))) : null;
        return r ? { ...r, entry: true } : null;
      }
    }
    return null;
  }

  /** Executes a query; throws QueryError for unknown fields / bad filters. */
  query(form: FormDef, fieldKeys: string[], filter: string, order: string, startRow: number, limit: number, top: number): unknown[][] {
    const resolved = fieldKeys.map((k) => {
      const r = this.resolveField(form, k);
      if (!r) throw new QueryError(9, `元数据中标识为${k.trim()}的字段不存在`);
      return r;
    });
    let tree: FilterNode | null;
    try {
      tree = parseFilter(filter);
    } catch (e) {
      throw new QueryError(4, `GetRealExpress error: 过滤条件“${filter}”语法错误：${(e as Error).message}`);
    }
    const readers = new Map<string, ReturnType<Store["resolveField"]>>();
    for (const name of filterFields(tree)) {
      const r = this.resolveField(form, name);
      if (!r) throw new QueryError(9, `元数据中标识为${name}的字段不存在`);
      readers.set(name, r);
    }
    const orders = order
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const m = /^(\S+)(?:\s+(ASC|DESC))?$/i.exec(s);
        if (!m) throw new QueryError(4, `GetRealExpress error: 排序条件“${s}”不正确`);
        const r = this.resolveField(form, m[1]);
        if (!r) throw new QueryError(9, `元数据中标识为${m[1]}的字段不存在`);
        return { r, desc: (m[2] ?? "").toUpperCase() === "DESC" };
      });
    const perEntry = !!form.entry && ([...resolved, ...readers.values(), ...orders.map((o) => o.r)] as { entry: boolean }[]).some((r) => r.entry);
    const t = this.table(form.formId);
    const candidates = this.candidates(form, t, tree);
    const hits: [Doc, number][] = [];
    const consider = (d: Doc | undefined) => {
      if (!d) return;
      const entryCount = perEntry ? (d.entries?.length ?? 0) : 0;
      for (let e = perEntry ? 0 : -1; e < (perEntry ? entryCount : 0); e++) {
        if (evalFilter(tree, (name) => (readers.get(name) as NonNullable<ReturnType<Store["resolveField"]>>).read(d, e))) hits.push([d, e]);
      }
    };
    if (candidates) candidates.forEach((i) => consider(t.rows[i]));
    else for (const d of t.rows) consider(d);
    if (orders.length) {
      hits.sort((a, b) => {
        for (const o of orders) {
          const x = o.r.read(a[0], a[1]);
          const y = o.r.read(b[0], b[1]);
          const c = x === null && y === null ? 0 : x === null ? -1 : y === null ? 1 : x.v < y.v ? -1 : x.v > y.v ? 1 : 0;
          if (c !== 0) return o.desc ? -c : c;
        }
        return a[0].id - b[0].id || a[1] - b[1];
      });
    }
    let sel = top > 0 ? hits.slice(0, top) : hits;
    sel = limit > 0 ? sel.slice(startRow, startRow + limit) : sel.slice(startRow);
    return sel.map(([d, e]) => resolved.map((r) => r.out(d, e)));
  }

  /** Row indices that can satisfy the filter, from the number/id indexes; null = scan all. */
  private candidates(form: FormDef, t: FormTable, n: FilterNode | null): number[] | null {
    if (!n) return null;
    if (n.k === "and") return this.candidates(form, t, n.a) ?? this.candidates(form, t, n.b);
    const lits =
      n.k === "cmp" && n.op === "=" && n.l.k === "field" && n.r.k === "lit"
        ? { field: n.l.name, values: [n.r.v] }
        : n.k === "in" && !n.not && n.l.k === "field" && n.list.every((o) => o.k === "lit")
          ? { field: n.l.name, values: n.list.map((o) => (o.k === "lit" ? o.v : null)) }
          : null;
    if (!lits) return null;
    const f = lc(lits.field);
    if (f === lc(form.idField)) {
      return lits.values.map((v) => Number(v) - form.idBase).filter((i) => Number.isInteger(i) && i >= 0 && i < t.rows.length);
    }
    if (f === lc(form.numberField) && !t.hasDuplicates) {
      const out: number[] = [];
      for (const v of lits.values) {
        if (v === null) continue;
        for (const o of SANDBOX_ORGS) {
          const r = t.byKey.get(o.number, String(v));
          if (r !== undefined) out.push(r);
        }
      }
      return [...new Set(out)].sort((a, b) => a - b);
    }
    return null;
  }

  orgOfId(id: number): SandboxOrg | undefined {
    return ORG_BY_ID.get(id);
  }
}

export class QueryError extends Error {
  constructor(
    readonly msgCode: number,
    message: string,
  ) {
    super(message);
  }
}

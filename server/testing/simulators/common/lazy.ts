/**
 * Lazily generated, filterable, pageable datasets with sparse overrides.
 *
 * Why this exists: the simulators must serve a million shops without a million objects. Record
 * i is generated from (seed, i) on demand; every date field used in a window filter is a
 * non-decreasing function of i, so a date window maps to an index range by binary search. A few
 * records may be overridden at run time (sandbox "mutate"): only the overrides are stored, and
 * the query logic removes overridden records from the generated range and re-adds the ones whose
 * effective values match, after the generated ones.
 */
import { parseCst } from "./time";

export type Rec = Record<string, unknown>;

export interface LazyDataset<T extends Rec> {
  size(): number;
  gen(i: number): T;
  /** ms of a monotone date field of generated record i; undefined if `field` is not monotone */
  timeOf(field: string, i: number): number | undefined;
  /** index of the record with this business code, or -1 */
  indexOfCode(code: string): number;
}

export interface LazyQuery<T extends Rec> {
  /** inclusive window on a monotone date field (record key), ms */
  window?: { field: string; from?: number; to?: number };
  code?: string;
  /** keep only i with i % m === k */
  mod?: { m: number; k: number };
  /** a predicate that cannot be mapped to indices: answered by scanning (cached) */
  residual?: (rec: T) => boolean;
  /** stable description of `residual` for the scan cache */
  residualKey?: string;
}

export interface LazyPage<T> {
  total: number;
  items: T[];
}

function lowerBound(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class LazyTable<T extends Rec> {
  private overrides = new Map<number, Partial<T>>();
  private version = 0;
  private scanCache = new Map<string, number[]>();

  constructor(readonly ds: LazyDataset<T>) {}

  clearOverrides(): void {
    this.overrides.clear();
    this.version++;
    this.scanCache.clear();
  }

  get overrideCount(): number {
    return this.overrides.size;
  }

  /** Merges `set` into the stored override of record i. */
  override(i: number, set: Partial<T>): T {
    this.overrides.set(i, { ...(this.overrides.get(i) ?? {}), ...set });
    this.version++;
    this.scanCache.clear();
    return this.get(i);
  }

  get(i: number): T {
    const base = this.ds.gen(i);
    const ov = this.overrides.get(i);
    return ov ? { ...base, ...ov } : base;
  }

  private timeOfEffective(field: string, i: number, rec: T): number {
    if (this.overrides.get(i)?.[field] !== undefined) return parseCst(String(rec[field]));
    return this.ds.timeOf(field, i) ?? parseCst(String(rec[field]));
  }

  private matches(q: LazyQuery<T>, i: number): T | undefined {
    if (q.mod && i % q.mod.m !== q.mod.k) return undefined;
    const rec = this.get(i);
    if (q.window) {
      const t = this.timeOfEffective(q.window.field, i, rec);
      if (Number.isNaN(t)) return undefined;
      if (q.window.from !== undefined && t < q.window.from) return undefined;
      if (q.window.to !== undefined && t > q.window.to) return undefined;
    }
    if (q.code !== undefined && rec.code !== q.code) return undefined;
    if (q.residual && !q.residual(rec)) return undefined;
    return rec;
  }

  query(q: LazyQuery<T>, offset: number, limit: number): LazyPage<T> {
    const { total, idx } = this.queryIndices(q, offset, limit);
    return { total, items: idx.map((i) => this.get(i)) };
  }

  /** Like query() but returns record indices. */
  queryIndices(q: LazyQuery<T>, offset: number, limit: number): { total: number; idx: number[] } {
    const n = this.ds.size();
    if (q.mod && (q.mod.k < 0 || q.mod.k >= q.mod.m)) return { total: 0, idx: [] }; // impossible residue
    if (q.code !== undefined) {
      const i = this.ds.indexOfCode(q.code);
      const rec = i >= 0 && i < n ? this.matches(q, i) : undefined;
      const idx = rec ? [i] : [];
      return { total: idx.length, idx: idx.slice(offset, offset + limit) };
    }
    let lo = 0;
    let hi = n;
    const w = q.window;
    if (w) {
      const probe = this.ds.timeOf(w.field, 0);
      if (probe === undefined) throw new Error(`field ${w.field} is not a monotone date field`);
      if (w.from !== undefined) lo = lowerBound(n, (i) => (this.ds.timeOf(w.field, i) as number) >= (w.from as number));
      if (w.to !== undefined) hi = lowerBound(n, (i) => (this.ds.timeOf(w.field, i) as number) > (w.to as number));
      if (hi < lo) hi = lo;
    }
    const step = q.mod ? q.mod.m : 1;
    const first = q.mod ? lo + ((((q.mod.k - lo) % step) + step) % step) : lo;
    const inSeq = (i: number) => i >= lo && i < hi && (i - first) % step === 0 && i >= first;
    const ovAll = [...this.overrides.keys()].filter((i) => i < n).sort((a, b) => a - b);
    const ovInSeq = ovAll.filter(inSeq);
    const ovSet = new Set(ovInSeq);
    const ovMatching: { i: number; rec: T }[] = [];
    for (const i of ovAll) {
      const rec = this.matches(q, i);
      if (rec) ovMatching.push({ i, rec });
    }
    if (w) {
      ovMatching.sort(
        (a, b) => this.timeOfEffective(w.field, a.i, a.rec) - this.timeOfEffective(w.field, b.i, b.rec) || a.i - b.i,
      );
    }
    const seqCount = first < hi ? Math.floor((hi - 1 - first) / step) + 1 : 0;

    if (q.residual) {
      const key = `${q.residualKey ?? "?"}|${lo}|${hi}|${step}|${first}|${this.version}`;
      let hits = this.scanCache.get(key);
      if (!hits) {
        hits = [];
        for (let x = 0; x < seqCount; x++) {
          const i = first + x * step;
          if (ovSet.has(i)) continue;
          if (q.residual(this.ds.gen(i))) hits.push(i);
        }
        if (this.scanCache.size > 16) this.scanCache.clear();
        this.scanCache.set(key, hits);
      }
      const total = hits.length + ovMatching.length;
      const idx: number[] = [];
      for (let p = offset; p < Math.min(total, offset + limit); p++) {
        idx.push(p < hits.length ? hits[p] : ovMatching[p - hits.length].i);
      }
      return { total, idx };
    }

    const plainCount = seqCount - ovInSeq.length;
    const total = plainCount + ovMatching.length;
    const idx: number[] = [];
    const end = Math.min(total, offset + limit);
    let p = offset;
    if (p < plainCount) {
      // sequence position of the p-th non-overridden element
      let x = p;
      for (const ov of ovInSeq) {
        if ((ov - first) / step <= x) x++;
        else break;
      }
      while (p < Math.min(end, plainCount)) {
        const i = first + x * step;
        x++;
        if (ovSet.has(i)) continue;
        idx.push(i);
        p++;
      }
    }
    for (; p < end; p++) idx.push(ovMatching[p - plainCount].i);
    return { total, idx };
  }
}

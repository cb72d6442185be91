/**
 * Property test: LazyTable's index arithmetic (windows by binary search, residues, overrides,
 * residual scans, paging) always equals a naive filter over all generated records.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LazyTable, type LazyDataset, type LazyQuery } from "./lazy";
import { formatCst, parseCst } from "./time";

type R = { code: string; t: string; x: number };

function dataset(n: number): LazyDataset<R> {
  const time = (i: number) => 1_700_000_000_000 + Math.floor(i / 3) * 1000; // runs of equal times
  return {
    size: () => n,
    gen: (i) => ({ code: `C${i}`, t: formatCst(time(i)), x: (i * 7) % 5 }),
    timeOf: (f, i) => (f === "t" ? time(i) : undefined),
    indexOfCode: (c) => (/^C\d+$/.test(c) ? Number(c.slice(1)) : -1),
  };
}

describe("LazyTable", () => {
  it("matches a naive scan for any window, residue, residual, overrides and page", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.tuple(fc.nat(70), fc.integer({ min: -5, max: 30 }), fc.nat(4)), { maxLength: 6 }),
        fc.option(fc.tuple(fc.integer({ min: -2, max: 25 }), fc.integer({ min: -2, max: 25 }))),
        fc.option(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.nat(4))),
        fc.boolean(),
        fc.nat(70),
        fc.integer({ min: 1, max: 30 }),
        (n, overrides, win, mod, useResidual, offset, limit) => {
          const ds = dataset(n);
          const table = new LazyTable(ds);
          for (const [i, dt, x] of overrides) {
            if (i < n) table.override(i, { t: formatCst(1_700_000_000_000 + dt * 1000), x });
          }
          const q: LazyQuery<R> = {};
          if (win) q.window = { field: "t", from: 1_700_000_000_000 + win[0] * 1000, to: 1_700_000_000_000 + win[1] * 1000 };
          if (mod) q.mod = { m: mod[0], k: mod[1] };
          if (useResidual) {
            q.residual = (r) => r.x !== 2;
            q.residualKey = "x!=2";
          }
          const all = Array.from({ length: n }, (_, i) => ({ i, r: table.get(i) }));
          const match = (i: number, r: R) =>
            (!q.mod || i % q.mod.m === q.mod.k) &&
            (!q.window || (parseCst(r.t) >= (q.window.from as number) && parseCst(r.t) <= (q.window.to as number))) &&
            (!q.residual || q.residual(r));
          const ovSet = new Set(overrides.map(([i]) => i).filter((i) => i < n));
          const plain = all.filter(({ i, r }) => !ovSet.has(i) && match(i, r));
          const ov = all.filter(({ i, r }) => ovSet.has(i) && match(i, r));
          if (q.window) ov.sort((a, b) => parseCst(a.r.t) - parseCst(b.r.t) || a.i - b.i);
          const expected = [...plain, ...ov];
          const page = table.query(q, offset, limit);
          expect(page.total).toBe(expected.length);
          expect(page.items).toEqual(expected.slice(offset, offset + limit).map((e) => e.r));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("looks records up by code", () => {
    const t = new LazyTable(dataset(10));
    expect(t.query({ code: "C3" }, 0, 10).items.map((r) => r.code)).toEqual(["C3"]);
    expect(t.query({ code: "C10" }, 0, 10).total).toBe(0);
    expect(t.query({ code: "nope" }, 0, 10).total).toBe(0);
  });
});

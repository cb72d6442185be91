"use client";
/** Page-level guard: a page only an admin (or another capability) may see says so instead of failing on 403s. */
import type { ReactNode } from "react";
import { useT } from "../i18n/provider";
import type { Capability } from "./can";
import { useCan } from "./session";

export function RequireCap({ cap, children }: { cap: Capability; children: ReactNode }) {
  const t = useT();
  if (!useCan(cap)) {
    return (
      <div role="alert" className="m-8 rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" data-testid="forbidden">
        {t("auth.forbidden")}
      </div>
    );
  }
  return <>{children}</>;
}

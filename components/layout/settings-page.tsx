"use client";
/**
 * 设置: interface language and system information; for admins also the workspace's outbound access.
 */
import { useQuery } from "@tanstack/react-query";
import { OutboundSettings } from "../auth/outbound-settings";
import { useSession } from "../auth/session";
import { RoleBadge } from "../auth/user-menu";
import { useI18n } from "../i18n/provider";
import { useTRPC } from "../trpc/client";
import { Card, PageHeader } from "../ui/primitives";

export function SettingsPage() {
  const { t, locale, setLocale } = useI18n();
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions());
  const { user, can } = useSession();
  return (
    <div className="mx-auto max-w-3xl px-8 py-8">
      <PageHeader title={t("settings.title")} subtitle={t("settings.subtitle")} />
      <Card className="divide-y divide-slate-100">
        {user ? (
          <div className="flex items-center justify-between px-5 py-4 text-sm">
            <span className="font-medium text-slate-700">{t("settings.account")}</span>
            <span className="flex items-center gap-2 text-slate-600">
              {user.name} · {user.email} <RoleBadge role={user.role} />
            </span>
          </div>
        ) : null}
        <div className="flex items-center justify-between px-5 py-4">
          <label htmlFor="locale" className="text-sm font-medium text-slate-700">
            {t("settings.language")}
          </label>
          <select id="locale" value={locale} onChange={(e) => setLocale(e.target.value === "en" ? "en" : "zh")} className="rounded-md border border-slate-300 px-2 py-1 text-sm">
            <option value="zh">中文</option>
            <option value="en">English</option>
          </select>
        </div>
        <div className="flex items-center justify-between px-5 py-4 text-sm">
          <span className="font-medium text-slate-700">{t("settings.database")}</span>
          <span className="font-mono text-xs text-slate-500">{info.data ? (info.data.provider === "sqlite" ? `SQLite · ${info.data.dataDir}` : "PostgreSQL") : "…"}</span>
        </div>
      </Card>
      {can("settings.manage") ? <OutboundSettings /> : null}
    </div>
  );
}

"use client";
/**
 * The app's frame: brand, navigation (方案 / 运行记录 / 连接 / 监控 / 设置) and the language switch.
 */
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";

const NAV: { href: string; key: MessageKey; icon: string }[] = [
  { href: "/flows", key: "nav.flows", icon: "M4 6h16M4 12h10M4 18h7" },
  { href: "/runs", key: "nav.runs", icon: "M12 8v4l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z" },
  { href: "/connections", key: "nav.connections", icon: "M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1" },
  { href: "/monitor", key: "nav.monitor", icon: "M3 17l5-5 4 4 8-8M14 8h6v6" },
  { href: "/settings", key: "nav.settings", icon: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM4 12h2m12 0h2M12 4v2m0 12v2" },
];

export function AppShell({ children }: { children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  const pathname = usePathname();
  // The designer needs every pixel of width for the canvas: there the sidebar shrinks to icons
  // (labels stay for screen readers and as tooltips).
  const compact = /^\/flows\/[^/]+$/.test(pathname);
  const label = compact ? "sr-only" : "";
  return (
    <div className="flex h-full min-h-screen">
      <aside className={`flex shrink-0 flex-col bg-brand-900 text-slate-100 ${compact ? "w-14" : "w-56"}`} data-compact={compact || undefined}>
        <Link href="/flows" className={`flex items-center gap-2 py-5 focus-visible:outline-2 focus-visible:outline-white ${compact ? "justify-center px-2" : "px-5"}`} title={compact ? t("app.name") : undefined}>
          <span className="flex h-8 w-8 items-center justify-center rounded-md bg-brand-500 text-base font-bold text-white">桥</span>
          <span className={label}>
            <span className="block text-base font-semibold leading-tight">{t("app.name")}</span>
            <span className="block text-xs text-slate-300">{t("app.tagline")}</span>
          </span>
        </Link>
        <nav aria-label="main" className={`mt-2 flex-1 space-y-0.5 ${compact ? "px-2" : "px-3"}`}>
          {NAV.map((item) => {
            const active = pathname === item.href || pathname.startsWith(item.href + "/");
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                title={compact ? t(item.key) : undefined}
                className={`flex items-center gap-3 rounded-md py-2 text-sm transition ${compact ? "justify-center px-2" : "px-3"} focus-visible:outline-2 focus-visible:outline-white ${active ? "bg-white/15 font-medium text-white" : "text-slate-300 hover:bg-white/10 hover:text-white"}`}
              >
                <svg viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
                  <path d={item.icon} />
                </svg>
                <span className={label}>{t(item.key)}</span>
              </Link>
            );
          })}
        </nav>
        <div className={`border-t border-white/10 py-4 ${compact ? "px-2 text-center" : "px-5"}`}>
          <button
            type="button"
            onClick={() => setLocale(locale === "zh" ? "en" : "zh")}
            className="rounded-md px-2 py-1 text-xs text-slate-300 ring-1 ring-white/20 hover:bg-white/10 hover:text-white focus-visible:outline-2 focus-visible:outline-white"
            aria-label={t("lang.label")}
            data-testid="lang-switch"
          >
            {compact ? (locale === "zh" ? "EN" : "中") : t("lang.switch")}
          </button>
        </div>
      </aside>
      <main className="min-w-0 flex-1 overflow-auto">{children}</main>
    </div>
  );
}

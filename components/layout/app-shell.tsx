"use client";
/**
 * The app's frame: brand, navigation (方案 / 运行记录 / 连接 / 监控 / 设置, and 用户 / 审计日志 for admins)
 * and the signed-in user's menu (language, sign-out). Behind the session gate: an anonymous browser is
 * sent to /sign-in; the sign-in and setup pages render without the frame.
 */
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import type { Capability } from "../auth/can";
import { SessionGate, useSession } from "../auth/session";
import { UserMenu } from "../auth/user-menu";

const NAV: { href: string; key: MessageKey; icon: string; cap?: Capability }[] = [
  { href: "/flows", key: "nav.flows", icon: "M4 6h16M4 12h10M4 18h7" },
  { href: "/runs", key: "nav.runs", icon: "M12 8v4l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z" },
  { href: "/connections", key: "nav.connections", icon: "M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1" },
  { href: "/monitor", key: "nav.monitor", icon: "M3 17l5-5 4 4 8-8M14 8h6v6" },
  { href: "/users", key: "nav.users", icon: "M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM21 19v-1a4 4 0 0 0-3-3.87M15 4.13a3 3 0 0 1 0 5.74", cap: "users.manage" },
  { href: "/audit", key: "nav.audit", icon: "M9 5H7a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-2M9 5a2 2 0 0 0 2 2h2a2 2 0 0 0 2-2M9 5a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2M9 12h6M9 16h4", cap: "audit.read" },
  { href: "/settings", key: "nav.settings", icon: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM4 12h2m12 0h2M12 4v2m0 12v2" },
];

export function AppShell({ children }: { children: ReactNode }) {
  return <SessionGate frame={(content) => <Frame>{content}</Frame>}>{children}</SessionGate>;
}

function Frame({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { can } = useSession();
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
          {NAV.filter((item) => !item.cap || can(item.cap)).map((item) => {
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
          <UserMenu compact={compact} />
        </div>
      </aside>
      <main className="min-w-0 flex-1 overflow-auto">{children}</main>
    </div>
  );
}

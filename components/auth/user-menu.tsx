"use client";
/**
 * The signed-in person at the foot of the sidebar: name, email, role, language switch, sign-out.
 * In the designer's narrow sidebar it folds into an avatar button that opens the same panel.
 */
import { useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n/provider";
import { Badge, type Tone } from "../ui/primitives";
import { signOut } from "./api";
import type { Role } from "./can";
import { useSession } from "./session";

export const ROLE_TONE: Record<Role, Tone> = { viewer: "gray", editor: "blue", admin: "violet" };

export function RoleBadge({ role }: { role: Role }) {
  const { t } = useI18n();
  return (
    <span data-testid="role-badge" data-role={role}>
      <Badge tone={ROLE_TONE[role]}>{t(`auth.role.${role}`)}</Badge>
    </span>
  );
}

export function UserMenu({ compact }: { compact: boolean }) {
  const { t, locale, setLocale } = useI18n();
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", esc);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", esc);
    };
  }, [open]);
  if (!user) return null;
  const initial = (user.name || user.email).trim().slice(0, 1).toUpperCase();
  const langButton = (
    <button
      type="button"
      onClick={() => setLocale(locale === "zh" ? "en" : "zh")}
      className="rounded-md px-2 py-1 text-xs text-slate-300 ring-1 ring-white/20 hover:bg-white/10 hover:text-white focus-visible:outline-2 focus-visible:outline-white"
      aria-label={t("lang.label")}
      data-testid="lang-switch"
    >
      {compact ? (locale === "zh" ? "EN" : "中") : t("lang.switch")}
    </button>
  );
  const signOutButton = (
    <button
      type="button"
      disabled={leaving}
      onClick={() => {
        setLeaving(true);
        void signOut();
      }}
      className="rounded-md px-2 py-1 text-xs text-slate-300 ring-1 ring-white/20 hover:bg-white/10 hover:text-white focus-visible:outline-2 focus-visible:outline-white disabled:opacity-60"
      data-testid="sign-out"
    >
      {leaving ? t("auth.signingOut") : t("auth.signOut")}
    </button>
  );
  const identity = (
    <div className="min-w-0" data-testid="current-user">
      <div className="flex items-center gap-2">
        <span className="truncate text-sm font-medium text-white">{user.name || user.email}</span>
        <RoleBadge role={user.role} />
      </div>
      <div className="truncate text-xs text-slate-300" title={user.email}>
        {user.email}
      </div>
    </div>
  );
  if (!compact) {
    return (
      <div className="space-y-3" aria-label={t("auth.userMenu")} role="group">
        {identity}
        <div className="flex flex-wrap gap-2">
          {langButton}
          {signOutButton}
        </div>
      </div>
    );
  }
  return (
    <div ref={ref} className="relative flex flex-col items-center gap-2">
      {langButton}
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-haspopup="true"
        aria-label={t("auth.userMenu")}
        title={`${user.name} · ${user.email}`}
        className="flex h-8 w-8 items-center justify-center rounded-full bg-white/15 text-sm font-semibold text-white hover:bg-white/25 focus-visible:outline-2 focus-visible:outline-white"
        data-testid="user-menu"
      >
        {initial}
      </button>
      {open ? (
        <div className="absolute bottom-0 left-full z-50 ml-2 w-60 space-y-3 rounded-md bg-brand-900 p-4 text-left shadow-xl ring-1 ring-white/20">
          {identity}
          <div className="flex gap-2">{signOutButton}</div>
        </div>
      ) : null}
    </div>
  );
}

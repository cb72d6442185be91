"use client";
/**
 * The frame of the pages that work without a session (sign-in, first-run setup): the brand, a card and
 * the language switch — the app's look without its sidebar.
 */
import type { ReactNode } from "react";
import { useI18n } from "../i18n/provider";
import { Card } from "../ui/primitives";

export function AuthFrame({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  return (
    <div className="flex min-h-screen flex-col bg-slate-50">
      <header className="flex items-center justify-between px-6 py-4">
        <div className="flex items-center gap-2">
          <span className="flex h-8 w-8 items-center justify-center rounded-md bg-brand-600 text-base font-bold text-white">桥</span>
          <span>
            <span className="block text-base font-semibold leading-tight text-slate-900">{t("app.name")}</span>
            <span className="block text-xs text-slate-500">{t("app.tagline")}</span>
          </span>
        </div>
        <button
          type="button"
          onClick={() => setLocale(locale === "zh" ? "en" : "zh")}
          className="rounded-md px-2 py-1 text-xs text-slate-600 ring-1 ring-slate-300 hover:bg-white focus-visible:outline-2 focus-visible:outline-brand-500"
          aria-label={t("lang.label")}
          data-testid="lang-switch"
        >
          {t("lang.switch")}
        </button>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-[8vh] pb-16">
        <Card className="w-full max-w-sm p-6">
          <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-slate-500">{subtitle}</p> : null}
          <div className="mt-6">{children}</div>
        </Card>
      </main>
    </div>
  );
}

export function FormError({ message, testId }: { message: string | null; testId: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid={testId}>
      {message}
    </p>
  );
}

"use client";
import type { ReactNode } from "react";
import { I18nProvider } from "@/components/i18n/provider";
import type { Locale } from "@/components/i18n/messages";
import { TRPCReactProvider } from "@/components/trpc/client";
import { AppShell } from "@/components/layout/app-shell";

export function Providers({ locale, children }: { locale: Locale; children: ReactNode }) {
  return (
    <I18nProvider initialLocale={locale}>
      <TRPCReactProvider>
        <AppShell>{children}</AppShell>
      </TRPCReactProvider>
    </I18nProvider>
  );
}

import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { LOCALE_COOKIE, parseLocale } from "@/components/i18n/messages";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = { title: "数桥 Shuqiao", description: "数桥 — 业务系统数据集成平台" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = parseLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  return (
    <html lang={locale === "zh" ? "zh-CN" : "en"}>
      <body>
        <Providers locale={locale}>{children}</Providers>
      </body>
    </html>
  );
}

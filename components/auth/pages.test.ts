/**
 * The sign-in and setup screens render in both languages without a browser (server-side
 * rendering of the real components inside the real providers): the labels people see, and no crash.
 */
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n/provider";
import type { Locale } from "../i18n/messages";
import { TRPCReactProvider } from "../trpc/client";
import { SetupPage } from "./setup-page";
import { SignInPage } from "./sign-in-page";

// children go as createElement's third argument (the providers type them as required props)
const I18n = I18nProvider as (p: { initialLocale: Locale; children?: ReactNode }) => ReactNode;
const TRPC = TRPCReactProvider as (p: { children?: ReactNode }) => ReactNode;

function render(locale: Locale, node: ReactNode): string {
  return renderToString(createElement(I18n, { initialLocale: locale }, createElement(TRPC, null, node)));
}

describe("sign-in page", () => {
  it("speaks Chinese by default and English on request, with the language switch", () => {
    const zh = render("zh", createElement(SignInPage, { next: "/runs" }));
    expect(zh).toContain("登录数桥");
    expect(zh).toContain("邮箱");
    expect(zh).toContain('data-testid="lang-switch"');
    expect(zh).toMatch(/type="password"[^>]*current-password|current-password[^>]*type="password"/);
    const en = render("en", createElement(SignInPage, {}));
    expect(en).toContain("Sign in to Shuqiao");
    expect(en).toContain("Password");
  });
});

describe("setup page", () => {
  it("asks for the link's token when it is missing", () => {
    expect(render("zh", createElement(SetupPage, {}))).toContain("链接缺少令牌");
  });
  it("shows the form for a token", () => {
    const html = render("zh", createElement(SetupPage, { token: "abc" }));
    expect(html).toContain("创建第一个管理员");
    expect(html).toContain("再次输入密码");
    expect(html).toContain("至少 10 个字符");
  });
});

import { SignInPage } from "@/components/auth/sign-in-page";

export default async function Page({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return <SignInPage next={typeof next === "string" ? next : undefined} />;
}

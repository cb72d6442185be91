import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { SettingsPage } from "@/components/layout/settings-page";

export default async function Page() {
  await requireSessionCookie("/settings");
  return <SettingsPage />;
}

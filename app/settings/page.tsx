import { SettingsPage } from "@/components/layout/settings-page";

export default function Page() {
  return <SettingsPage />;
}

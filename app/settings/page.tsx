import { SettingsPage } from "@/components/layout/simple-pages";

export default function Page() {
  return <SettingsPage />;
}

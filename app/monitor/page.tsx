import { MonitorPage } from "@/components/layout/simple-pages";

export default function Page() {
  return <MonitorPage />;
}

import { MonitorPage } from "@/components/monitor/monitor-page";

export default function Page() {
  return <MonitorPage />;
}

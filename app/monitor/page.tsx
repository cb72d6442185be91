import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { MonitorPage } from "@/components/monitor/monitor-page";

export default async function Page() {
  await requireSessionCookie("/monitor");
  return <MonitorPage />;
}

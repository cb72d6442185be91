import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { ConnectionsScreen } from "@/components/connections/connections-page";

export default async function Page() {
  await requireSessionCookie("/connections");
  return <ConnectionsScreen />;
}

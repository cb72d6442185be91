import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { FlowList } from "@/components/flows/flow-list";

export default async function FlowsPage() {
  await requireSessionCookie("/flows");
  return <FlowList />;
}

import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { AuditPage } from "@/components/auth/audit-page";

export default async function Page() {
  await requireSessionCookie("/audit");
  return <AuditPage />;
}

import { AuditPage } from "@/components/auth/audit-page";

export default function Page() {
  return <AuditPage />;
}

import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { UsersPage } from "@/components/auth/users-page";

export default async function Page() {
  await requireSessionCookie("/users");
  return <UsersPage />;
}

import { signIn } from "@/server/auth/http";
import { db } from "@/server/db";

export const dynamic = "force-dynamic";

export function POST(req: Request): Promise<Response> {
  return signIn(db(), req);
}

/**
 * Liveness for load balancers and scripts: public, and says nothing but that the server answers.
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}

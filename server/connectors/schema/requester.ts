/**
 * The requester slot: how one HTTP call is built (URL, method, headers, query, body) from templates.
 *
 * Why this exists: the vendors differ mostly in *where* things go (Guanyi: everything in one JSON body
 * posted to a gateway; DingTalk: token in the query, JSON body; Kingdee: service name in the path).
 * Describing that as data lets one runtime serve all of them and lets a user describe a new API.
 */
import { z } from "zod";
import { JsonTemplate } from "./common";

export const HttpRequester = z.object({
  type: z.literal("HttpRequester"),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
  /** appended to the connection's base URL; may hold placeholders */
  path: z.string(),
  query: z.record(z.string(), JsonTemplate).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** the body as a template tree; strings equal to one placeholder keep the value's type */
  body: JsonTemplate.optional(),
  bodyEncoding: z.enum(["json", "form", "none"]).default("json"),
  /** drop top-level body/query fields that resolve to null, undefined or "" (Guanyi signs without them) */
  dropEmpty: z.boolean().default(false),
  /** per attempt; the call's overall deadline (error handler `deadlineMs`) may cut it shorter */
  timeoutMs: z.number().int().positive().default(30_000),
  /**
   * follow 3xx answers. Off by default: an API that redirects is usually sending us to a login page
   * or a moved host, and a followed redirect would turn that into an HTML "success".
   */
  followRedirects: z.boolean().default(false),
});
export type HttpRequester = z.infer<typeof HttpRequester>;

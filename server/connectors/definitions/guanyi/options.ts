/**
 * Node options of the Guanyi read APIs.
 *
 * Why this exists: the designer and the flow compiler validate a node's settings before a run.
 */
import { z } from "zod";
import { commonSourceOptions } from "../options-common";

export const GuanyiSourceOptions = z.object({
  /** records per page; Guanyi's maximum is 100 (unconfirmed upstream, enforced by the simulator) */
  pageSize: z.number().int().min(1).max(100).default(100),
  ...commonSourceOptions,
});
export type GuanyiSourceOptions = z.infer<typeof GuanyiSourceOptions>;

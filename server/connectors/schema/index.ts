/**
 * The zod schema of connector definitions, in one import.
 *
 * Why this exists: the flow compiler, the designer and the runtime validate the same documents.
 */
export * from "./common";
export * from "./requester";
export * from "./paginator";
export * from "./record-selector";
export * from "./rate-limit";
export * from "./error-handler";
export * from "./authenticator";
export * from "./definition";

/**
 * The admin API's wire contract: every answer (and the request bodies) of /api as zod schemas. The
 * server's integration tests check every answer against it; the panel parses every answer with it.
 */
export * from "./common";
export * from "./dead-letters";
export * from "./endpoints";
export * from "./insights";
export * from "./payments";
export * from "./reconciliation";
export * from "./refunds";
export * from "./reports";
export * from "./session";
export * from "./settings";
export * from "./settlements";
export * from "./words";

// The roster -> every resource to register, as plain data. No Pulumi here.
export { buildPlan } from "./build";
export * from "./types";
export * from "./resources";
export * from "./previous";
export * from "./identity";
export * from "./reads";
export * from "./imports";
export * from "./guest-user";

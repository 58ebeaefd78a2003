/** The simulated Microsoft Graph over HTTP, for the Graph client (graph/); see tools/sim/README.md. */
export { startGraphServer, GraphServer } from "./server";

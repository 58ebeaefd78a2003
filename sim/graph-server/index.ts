/** The simulated Microsoft Graph over HTTP, for the Graph client (graph/); see sim/README.md. */
export { startGraphServer, GraphServer } from "./server";

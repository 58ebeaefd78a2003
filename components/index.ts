export { azureDirectory } from "./directory";
export { EntraGuests, EntraGuestsArgs } from "./entra-guests";
export { publishStackOutputs } from "./stack-outputs";
export { tenantReads } from "./tenant-reads";
export { readStackSettings } from "./settings";
export { MANAGED_GUESTS_OUTPUT, PENDING_REPAIRS_OUTPUT, readPreviousDeployment } from "./previous-deployment";
export { each, registerEach } from "./fresh-stack";

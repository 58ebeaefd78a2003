export { azureDirectory } from "./directory";
export { EntraGuests, EntraGuestsArgs } from "./entra-guests";
export { publishStackOutputs } from "./stack-outputs";
export { tenantReads } from "./tenant-reads";
export { readStackSettings } from "./settings";
export { MANAGED_GUESTS_OUTPUT, PENDING_REPAIRS_OUTPUT, PreviousDeployment, readPreviousDeployment, RUN_COMPLETE_OUTPUT } from "./previous-deployment";
export { EntraProvider, GuestUser, providerArgsFromConfig } from "./guest-user";
export { each, registerEach } from "./fresh-stack";

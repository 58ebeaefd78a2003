export { azureDirectory } from "./directory";
export { EntraGuests, EntraGuestsArgs, GuestAccess } from "./entra-guests";
export { readStackSettings } from "./settings";
export { MANAGED_GUESTS_OUTPUT, readPreviousDeployment } from "./previous-deployment";

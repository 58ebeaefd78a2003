export { azureDirectory } from "./directory";
export { EntraGuests, EntraGuestsArgs } from "./entra-guests";
export { readStackSettings } from "./settings";
export { MANAGED_GUESTS_OUTPUT, readPreviousDeployment } from "./previous-deployment";

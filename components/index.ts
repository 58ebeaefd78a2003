export { azureDirectory } from "./directory";
export { EntraGuests, EntraGuestsArgs, GuestAccess } from "./entra-guests";
export { readStackSettings } from "./settings";

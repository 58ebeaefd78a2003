/** Microsoft Graph calls the azuread provider cannot make: the client, its sign-in, and typed directory reads. */
export { BATCH_LIMIT, BatchRequest, GraphClient, GraphClientOptions, GraphProgress, GraphRequestError, GRAPH_URL, Query } from "./client";
export { chooseCredential, CredentialChoice, credentialFor, graphClientFromEnvironment, GRAPH_SCOPE } from "./credentials";
export { BATCH_CONCURRENCY, Directory, DirectoryAssignment, DirectoryReads, DirectoryUser, MAIL_CHUNK } from "./directory";
export { permissionFor, retryAfterSeconds } from "./errors";
export { NO_PREMIUM, readTenantGuests, Reinvitation, sendInvitation, SignInAvailability, signInRefusal, TenantGuests } from "./status";

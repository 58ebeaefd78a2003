/** Microsoft Graph calls the azuread provider cannot make: the client, its sign-in, and typed directory reads. */
export { BATCH_LIMIT, BatchRequest, GraphClient, GraphClientOptions, GraphProgress, GraphRequestError, GRAPH_URL, Query } from "./client";
export { chooseCredential, CredentialChoice, credentialFor, graphClientFromEnvironment, GRAPH_SCOPE } from "./credentials";
export { BATCH_CONCURRENCY, Directory, DirectoryAssignment, DirectoryUser } from "./directory";
export { permissionFor, retryAfterSeconds } from "./errors";
export { NamedKind, NamedObject, NamedObjects, objectsNamed, similarNames, similarNamesSearch } from "./name-hints";
export { MAX_PAGES, REPEATED_NEXT_LINK, TOO_MANY_PAGES } from "./paging";
export { NO_PREMIUM, readTenantGuests, Reinvitation, sendInvitation, SignInAvailability, signInRefusal, TenantGuests } from "./status";
export { MAX_TOTAL_WAIT_SECONDS, MAX_WAIT_SECONDS, WAIT_BUDGET_SPENT, WAIT_TOO_LONG, WaitInfo, waitLine } from "./waiting";

import type { DirectoryAssignment } from "../graph/directory";
import type { Identity } from "../graph/identity";
import type { NamedKind, NamedObjects } from "../graph/name-hints";
import type { Owner } from "./previous";

/**
 * The tenant reads the program makes before registering anything, each batched: one lookup an
 * address (20 to a batch), one existence check per 1,000 users, one listing per group and per
 * app. graph/ implements them over Microsoft Graph; tests mock them.
 */
export interface TenantReads {
    /** What each address names: the users Graph's invitation would hand back (graph/identity.ts). */
    usersByAddress(addresses: string[]): Promise<Map<string, Identity>>;
    /** Which of these users exist, with their userType; a deleted user is absent. */
    existingUsers(ids: string[]): Promise<Map<string, { userType: string | null }>>;
    groupMemberIds(groupId: string): Promise<Set<string>>;
    appRoleAssignedTo(servicePrincipalId: string): Promise<DirectoryAssignment[]>;
}

/**
 * The reads behind a failed group or app lookup's hint (plan/lookup-hints.ts), made only on that
 * failure path, one per failed name. graph/name-hints.ts implements them over Microsoft Graph.
 */
export interface NameReads {
    /** Every group (or service principal) with this display name: Graph's first page. */
    objectsNamed(what: NamedKind, name: string): Promise<NamedObjects>;
    /** Display names of groups (or service principals) that share a word's start with this name; [] without a request when it has no word. */
    similarNames(what: NamedKind, name: string): Promise<string[]>;
}

/** How the program registers one declared guest in this run. */
export interface PlannedUser {
    /**
     * False when the user the stack recorded was deleted outside the stack: this run forgets the
     * guest (its GuestUser's delete finds nothing to delete), the next one invites the address anew.
     */
    register: boolean;
    /** The user's object ID when known before anything is registered (recorded, or found now). */
    userId?: string;
    /** Found by this run's lookup: the GuestUser's create must adopt exactly this user. */
    expectedUserId?: string;
    /** Known from the last deployment; undefined while the GuestUser's create decides (invited now, or by a run that did not finish). */
    owner?: Owner;
    /** The stack's own user, recorded by an `azuread.Invitation` of an earlier version: the GuestUser's create claims it. */
    claimUserId?: string;
    /** Not registered, but its memberships and assignments are, retained, naming this (deleted) user: see `planIdentity`. */
    retainAccessOf?: string;
}

import { Graph } from "../tenant/graph";
import { diag, DiagnosticsError, Locks, Operation, partialFailure, quote, SdkError } from "./sdk";

/**
 * azuread:index/groupMember:GroupMember, as internal/services/groups/group_member_resource.go
 * (terraform-provider-azuread v3.8.0) does it. Lines cited are in that file.
 */
export const GROUP_MEMBER = "azuread:index/groupMember:GroupMember";

/** Both arguments are ForceNew (43-57). */
export const GROUP_MEMBER_INPUTS = ["groupObjectId", "memberObjectId"];

export interface GroupMemberState {
    groupObjectId: string;
    memberObjectId: string;
}

/** `{group}/member/{member}` (internal/services/groups/parse/object.go:27-29), also the import ID. */
export function memberId(s: GroupMemberState): string {
    return `${s.groupObjectId}/member/${s.memberObjectId}`;
}

/**
 * The state a read starts from: the resource ID, parsed as Read does (112-116), not the stored
 * properties, so an import (which has only the ID) reads like a refresh.
 */
export function parseMemberId(id: string): GroupMemberState {
    const m = /^([^/]+)\/member\/([^/]+)$/.exec(id);
    if (!m) throw new DiagnosticsError([diag(`Parsing Group Member ID ${quote(id)}`, `the ID should be in the format "{groupId}/member/{memberId}"`, "id")]);
    return { groupObjectId: m[1], memberObjectId: m[2] };
}

const describe = (s: GroupMemberState) => `Group Id Member (Group: "${s.groupObjectId}"\nDirectory Object: "${s.memberObjectId}")`;

/**
 * Create (62-107): under the group's lock, for the whole provider process (70-71), check the
 * group, list ALL its members (80), refuse an existing one (85-92), add without a retry of its
 * own (94-102), set the ID (104) and read back at once (106). A read-back that misses clears
 * the ID with no error, and the bridge fails the create although the membership now exists; a
 * read-back that fails otherwise keeps the ID: a partial failure, kept in state with an init error.
 */
export async function createGroupMember(graph: Graph, op: Operation, locks: Locks, urn: string, inputs: GroupMemberState): Promise<{ id: string; outs: GroupMemberState }> {
    return locks.with(`azuread_group.${inputs.groupObjectId}`, op, async () => {
        // Both failures name the path `object_id` (73-78).
        try {
            await op.call(() => graph.getGroup(inputs.groupObjectId));
        } catch (err) {
            if (err instanceof SdkError && err.graph.status === 404) throw new DiagnosticsError([diag(`Group (Group: "${inputs.groupObjectId}") was not found`, undefined, "object_id")]);
            throw new DiagnosticsError([diag(`Retrieving Group (Group: "${inputs.groupObjectId}")`, err, "object_id")]);
        }
        let members: string[];
        try {
            members = await op.call(() => graph.listMembers(inputs.groupObjectId));
        } catch (err) {
            throw new DiagnosticsError([diag(`Listing existing members for Group (Group: "${inputs.groupObjectId}")`, err)]);
        }
        if (members.some((m) => m.toLowerCase() === inputs.memberObjectId.toLowerCase())) {
            // tf.ImportAsExistsDiag (internal/helpers/tf/errors.go:53-60)
            throw new DiagnosticsError([
                diag(
                    `A resource with the ID ${quote(memberId(inputs))} already exists`,
                    `To be managed via Terraform, this resource needs to be imported into the State. Please see the resource documentation for "azuread_group_member" for more information.`,
                    "id",
                ),
            ]);
        }
        try {
            await op.call(() => graph.addMember(inputs.groupObjectId, inputs.memberObjectId));
        } catch (err) {
            throw new DiagnosticsError([diag(`Adding ${describe(inputs)}`, err)]);
        }
        let found;
        try {
            found = await readGroupMember(graph, op, inputs, true);
        } catch (err) {
            if (err instanceof DiagnosticsError) throw partialFailure(urn, memberId(inputs), { ...inputs }, err);
            throw err;
        }
        if (!found) {
            // The TF SDK returns a null state with no error; the bridge's words (bridge provider.go:1342-1344).
            throw new Error(`expected non-nil error with nil state during Create of ${urn}`);
        }
        return { id: memberId(inputs), outs: { ...inputs } };
    });
}

/** Read (109-130): a membership that is gone leaves the state (SetId("")). */
export async function readGroupMember(graph: Graph, op: Operation, state: GroupMemberState, readBack = false): Promise<boolean> {
    try {
        // groupGetMember: GET members?$filter=id eq '...' (internal/services/groups/groups.go:75-98).
        const hits = await op.call(() => graph.listMembers(state.groupObjectId, state.memberObjectId, readBack));
        return hits.includes(state.memberObjectId);
    } catch (err) {
        if (err instanceof SdkError && err.graph.status === 404) return false;
        throw new DiagnosticsError([diag(`Retrieving member ${quote(state.memberObjectId)} for group with object ID: ${quote(state.groupObjectId)}`, err)]);
    }
}

/** Delete (132-161): same lock, remove with no tolerance for 404, then wait for 5 "not a member" reads. */
export async function deleteGroupMember(graph: Graph, op: Operation, locks: Locks, state: GroupMemberState): Promise<void> {
    await locks.with(`azuread_group.${state.groupObjectId}`, op, async () => {
        try {
            await op.call(() => graph.removeMember(state.groupObjectId, state.memberObjectId));
        } catch (err) {
            throw new DiagnosticsError([diag(`Removing ${describe(state)}`, err)]);
        }
        try {
            await op.waitFor("Deleted", "Waiting", async () => !(await readGroupMember(graph, op, state)));
        } catch (err) {
            throw new DiagnosticsError([diag(`Waiting for removal of ${describe(state)}`, err)]);
        }
    });
}

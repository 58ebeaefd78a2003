import { Graph } from "../tenant/graph";
import { diag, DiagnosticsError, Operation, partialFailure, quote, SdkError } from "./sdk";

/**
 * azuread:index/appRoleAssignment:AppRoleAssignment, as
 * internal/services/approleassignments/app_role_assignment_resource.go (terraform-provider-azuread
 * v3.8.0) does it. Lines cited are in that file.
 */
export const APP_ROLE_ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment";

/** All three arguments are ForceNew (60-82). */
export const APP_ROLE_ASSIGNMENT_INPUTS = ["appRoleId", "principalObjectId", "resourceObjectId"];

export interface AppRoleAssignmentState {
    appRoleId: string;
    principalObjectId: string;
    resourceObjectId: string;
    principalDisplayName?: string;
    principalType?: string;
    resourceDisplayName?: string;
}

/**
 * Create (105-159): read the resource's service principal, then POST the assignment, retried on
 * 404 and on a 400 "Not a valid reference update" (a principal not yet replicated, 126-135).
 * There is no check for an existing assignment: Graph's 400 comes through as it is, also to the
 * SDK's own retry of a POST that had landed (a 5xx), which then fails the create while the
 * assignment exists, outside the state. The ID is set (155-156) before the read that ends the
 * create (158): a read that answers 404 clears it (171-174), so the bridge fails the create with
 * no state (bridge pkg/tfbridge/provider.go:1342-1344); any other error keeps it in state with
 * an init error.
 */
export async function createAppRoleAssignment(graph: Graph, op: Operation, urn: string, inputs: AppRoleAssignmentState): Promise<{ id: string; outs: AppRoleAssignmentState }> {
    try {
        await op.call(() => graph.getServicePrincipal(inputs.resourceObjectId));
    } catch (err) {
        if (err instanceof SdkError && err.graph.status === 404) {
            throw new DiagnosticsError([diag(`Service principal not found for resource (Object ID: ${quote(inputs.resourceObjectId)})`, err, "principal_object_id")]);
        }
        throw new DiagnosticsError([diag(`Could not retrieve service principal for resource (Object ID: ${quote(inputs.resourceObjectId)})`, err)]);
    }
    let created;
    try {
        created = await op.call(
            () => graph.assignAppRole(inputs.resourceObjectId, { appRoleId: inputs.appRoleId, principalId: inputs.principalObjectId }),
            (e) => e.status === 404 || (e.status === 400 && /Not a valid reference update/.test(`${e.code}: ${e.message}`)),
        );
    } catch (err) {
        throw new DiagnosticsError([diag("Could not create app role assignment", err)]);
    }
    const id = `/servicePrincipals/${created.resourceId}/appRoleAssignedTo/${created.id}`;
    let outs;
    try {
        outs = await readAppRoleAssignment(graph, op, id, inputs, true);
    } catch (err) {
        if (err instanceof DiagnosticsError) throw partialFailure(urn, id, { ...inputs }, err);
        throw err;
    }
    // The TF SDK returns a null state with no error; the bridge's words.
    if (!outs) throw new Error(`expected non-nil error with nil state during Create of ${urn}`);
    return { id, outs };
}

function parseId(id: string): { resourceId: string; assignmentId: string } {
    const m = /^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo\/([^/]+)$/.exec(id);
    if (!m) throw new DiagnosticsError([diag("Parsing App Role Assignment ID", `unexpected ID ${quote(id)}`, "id")]);
    return { resourceId: m[1], assignmentId: m[2] };
}

/** Read (161-192): a 404 removes the resource from state. `readBack`: the read that ends a create, which faults may answer. */
export async function readAppRoleAssignment(graph: Graph, op: Operation, id: string, state: AppRoleAssignmentState, readBack = false): Promise<AppRoleAssignmentState | undefined> {
    const { resourceId, assignmentId } = parseId(id);
    try {
        const a = await op.call(() => graph.getAppRoleAssignment(resourceId, assignmentId, readBack));
        return {
            ...state,
            appRoleId: a.appRoleId,
            principalObjectId: a.principalId,
            resourceObjectId: a.resourceId,
            principalDisplayName: a.principalDisplayName,
            principalType: a.principalType,
            resourceDisplayName: a.resourceDisplayName,
        };
    } catch (err) {
        if (err instanceof SdkError && err.graph.status === 404) return undefined;
        throw new DiagnosticsError([diag(`retrieving Service Principal Id App Role Assigned To (Service Principal: "${resourceId}"\nApp Role Assignment: "${assignmentId}")`, err)]);
    }
}

/** Delete (194-207): no tolerance for 404 and no wait. */
export async function deleteAppRoleAssignment(graph: Graph, op: Operation, id: string): Promise<void> {
    const { resourceId, assignmentId } = parseId(id);
    try {
        await op.call(() => graph.deleteAppRoleAssignment(resourceId, assignmentId));
    } catch (err) {
        const what = `Service Principal Id App Role Assigned To (Service Principal: "${resourceId}"\nApp Role Assignment: "${assignmentId}")`;
        throw new DiagnosticsError([diag(`Deleting ${what}: ${(err as Error).message}`, err, "id")]);
    }
}

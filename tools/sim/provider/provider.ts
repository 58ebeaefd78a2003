import type { CheckResult, CreateResult, DiffResult, InvokeResult, Provider, ReadResult, UpdateResult } from "@pulumi/pulumi/provider";
import { isGuid } from "../../../roster";
import { Graph } from "../tenant/graph";
import { TenantStore } from "../tenant/store";
import { APP_ROLE_ASSIGNMENT, APP_ROLE_ASSIGNMENT_INPUTS, AppRoleAssignmentState, createAppRoleAssignment, deleteAppRoleAssignment, readAppRoleAssignment } from "./app-role-assignment";
import { invoke } from "./data-sources";
import { ignoreChangesByUrn, withoutPaths } from "./ignore-changes";
import { createGroupMember, deleteGroupMember, GROUP_MEMBER, GROUP_MEMBER_INPUTS, GroupMemberState, memberId, parseMemberId, readGroupMember } from "./group-member";
import { checkInvitation, createInvitation, deleteInvitation, INVITATION, INVITATION_INPUTS, InvitationState, readInvitation, UNKNOWN } from "./invitation";
import { diag, DiagnosticsError, Locks, Operation, partialFailure } from "./sdk";
import { previewByUrn } from "./preview";

/** The version @pulumi/azuread 6.9.1 asks the engine for. */
export const PROVIDER_VERSION = "6.9.1";

const INPUTS: Record<string, string[]> = {
    [INVITATION]: INVITATION_INPUTS,
    [GROUP_MEMBER]: GROUP_MEMBER_INPUTS,
    [APP_ROLE_ASSIGNMENT]: APP_ROLE_ASSIGNMENT_INPUTS,
};

const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";

/**
 * The `azuread` provider plugin over the simulated tenant: the three resources and two data
 * sources the program uses, on @pulumi/azuread 6.9.1's tokens and property names.
 */
export class SimulatedAzureAd implements Provider {
    readonly version = PROVIDER_VERSION;
    private readonly graph: Graph;
    private readonly locks = new Locks();

    constructor(
        private readonly store: TenantStore,
        private readonly scale: number,
    ) {
        this.graph = new Graph(store);
    }

    private op(): Operation {
        return new Operation(this.store, this.scale);
    }

    async check(urn: string, _olds: unknown, news: Record<string, unknown>): Promise<CheckResult> {
        const type = typeOf(urn);
        if (type === INVITATION) return checkInvitation(urn, news);
        if (!(type in INPUTS)) throw new Error(`unknown resource type ${type}: the simulated tenant serves ${Object.keys(INPUTS).join(", ")}`);
        // IsUUID on every ID argument (group_member_resource.go:43-57, app_role_assignment_resource.go:60-82).
        const failures = INPUTS[type]
            .filter((k) => news[k] !== UNKNOWN && !(typeof news[k] === "string" && isGuid(news[k] as string)))
            .map((k) => ({ property: k, reason: `expected "${snake(k)}" to be a valid UUID, got ${news[k] === undefined ? "" : String(news[k])}` }));
        return { inputs: news, failures };
    }

    /** Every argument of the three resources is ForceNew: any change is a replacement (there is no Update). */
    async diff(_id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
        const ignored = ignoreChangesByUrn.get(urn) ?? [];
        const [before, after] = [withoutPaths(olds, ignored), withoutPaths(news, ignored)];
        const replaces = (INPUTS[typeOf(urn)] ?? []).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
        return { changes: replaces.length > 0, replaces };
    }

    async create(urn: string, inputs: Record<string, unknown>): Promise<CreateResult> {
        const type = typeOf(urn);
        if (type === INVITATION) return createInvitation(this.graph, this.op(), urn, inputs as unknown as InvitationState);
        if (type === GROUP_MEMBER) return createGroupMember(this.graph, this.op(), this.locks, urn, inputs as unknown as GroupMemberState);
        if (type === APP_ROLE_ASSIGNMENT) return createAppRoleAssignment(this.graph, this.op(), urn, inputs as unknown as AppRoleAssignmentState);
        throw new Error(`unknown resource type ${type}`);
    }

    /**
     * The engine asks for an Update only to retry a resource kept with an init error (pulumi
     * pkg/resource/deploy/step_generator.go:2053-2069): none of the three resources has an update
     * function, so the plugin SDK fails it with "doesn't support update" (vendored
     * terraform-plugin-sdk/v2 v2.38.2 helper/schema/resource.go:982-987) and keeps the prior
     * state, which the bridge reports as a partial failure again (bridge provider.go:1719-1735,
     * 1770-1772): every later `up` fails until a refresh clears the init error. A preview applies
     * nothing (1736-1740, the proposed state instead), so it answers the old outputs.
     */
    async update(id: string, urn: string, olds: Record<string, unknown>): Promise<UpdateResult> {
        const type = typeOf(urn);
        if (!(type in INPUTS)) throw new Error(`unknown resource type ${type}`);
        if (previewByUrn.get(urn) === true) return { outs: olds };
        throw partialFailure(urn, id, olds, new DiagnosticsError([diag("doesn't support update")]), "updating");
    }

    /** Refresh. An empty ID removes the resource from state. */
    async read(id: string, urn: string, props: Record<string, unknown>): Promise<ReadResult> {
        const type = typeOf(urn);
        const inputsOf = (state: Record<string, unknown>) => Object.fromEntries(INPUTS[type].filter((k) => state[k] !== undefined).map((k) => [k, state[k]]));
        if (type === INVITATION) {
            const state = await readInvitation(this.graph, this.op(), props as unknown as InvitationState);
            return { id, props: state, inputs: inputsOf(state as unknown as Record<string, unknown>) };
        }
        if (type === GROUP_MEMBER) {
            const state = parseMemberId(id);
            const found = await readGroupMember(this.graph, this.op(), state);
            return found ? { id: memberId(state), props: { ...props, ...state }, inputs: inputsOf({ ...state }) } : { id: "", props: {} };
        }
        if (type === APP_ROLE_ASSIGNMENT) {
            const state = await readAppRoleAssignment(this.graph, this.op(), id, props as unknown as AppRoleAssignmentState);
            return state ? { id, props: state, inputs: inputsOf(state as unknown as Record<string, unknown>) } : { id: "", props: {} };
        }
        throw new Error(`unknown resource type ${type}`);
    }

    async delete(id: string, urn: string, props: Record<string, unknown>): Promise<void> {
        const type = typeOf(urn);
        if (type === INVITATION) return deleteInvitation(this.graph, this.op(), props as unknown as InvitationState);
        if (type === GROUP_MEMBER) return deleteGroupMember(this.graph, this.op(), this.locks, props as unknown as GroupMemberState);
        if (type === APP_ROLE_ASSIGNMENT) return deleteAppRoleAssignment(this.graph, this.op(), id);
        throw new Error(`unknown resource type ${type}`);
    }

    async invoke(token: string, args: Record<string, unknown>): Promise<InvokeResult> {
        return { outputs: await invoke(this.graph, this.op(), token, args) };
    }
}

function snake(name: string): string {
    return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

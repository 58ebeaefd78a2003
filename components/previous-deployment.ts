import * as pulumi from "@pulumi/pulumi";
import { ManagedGuests, parseManagedGuests } from "../plan";

/** The stack output through which each deployment tells the next what it manages. */
export const MANAGED_GUESTS_OUTPUT = "managedGuests";

/**
 * The stack output listing guests whose user was deleted outside the stack and that the run only
 * prepared: non-empty means "run `pulumi up` once more" (the scheduled workflow does).
 */
export const PENDING_REPAIRS_OUTPUT = "pendingRepairs";

/**
 * False when a deployment starts (published before anything is registered), true in its final
 * outputs: the engine records those only when the deployment finishes. Stacks deployed by a
 * version that kept users in azuread Invitations have no such output.
 */
export const RUN_COMPLETE_OUTPUT = "runComplete";

/** The engine's built-in invoke that reads a stack's outputs, which a StackReference reads too. */
export const READ_STACK_OUTPUTS = "pulumi:pulumi:readStackOutputs";

/**
 * The guests the last deployment of this very stack managed; undefined on the first deployment.
 * Awaited before any guest resource is registered.
 *
 * Read with the engine's built-in invoke `pulumi:pulumi:readStackOutputs` (the engine hands a
 * `pulumi` package token to its built-in provider: pkg/resource/deploy/providers/registry.go:374-375,
 * builtins.go:328-337 at v3.248.0), the very read a StackReference makes on create and refresh
 * (builtins.go readStackReference). An invoke's result is not kept in the checkpoint, where a
 * StackReference resource would keep a second copy of the whole baseline.
 */
export async function readPreviousDeployment(): Promise<PreviousDeployment | undefined> {
    const name = selfReference(pulumi.getOrganization(), pulumi.getProject(), pulumi.getStack());
    const result = (await pulumi.runtime.invoke(READ_STACK_OUTPUTS, { name })) as { outputs?: Record<string, unknown> } | undefined;
    const value = result?.outputs?.[MANAGED_GUESTS_OUTPUT];
    if (value === undefined || value === null) return undefined;
    const complete = result?.outputs?.[RUN_COMPLETE_OUTPUT];
    // The removal guard trusts this value: a malformed one (a hand-edited state) stops the run.
    const parsed = parseManagedGuests(value);
    if (!parsed.ok) {
        throw new pulumi.RunError(`the last deployment's stack output \`${MANAGED_GUESTS_OUTPUT}\` ${parsed.problem}, so the removal guard cannot tell what this run deletes; nothing was changed. Restore the output from a good checkpoint (\`pulumi stack history\`, \`pulumi stack export\`)`);
    }
    return { guests: parsed.guests, legacy: typeof complete !== "boolean", complete: complete === true };
}

/** What the last deployment of this stack published. */
export interface PreviousDeployment {
    guests: ManagedGuests;
    /** Made by a version that kept each user in an azuread.Invitation (plan/legacy.ts). */
    legacy: boolean;
    /** It finished: everything it registered is in the state. */
    complete: boolean;
}

/**
 * The name this stack has for itself. On Pulumi Cloud the full `org/project/stack`, as a bare name
 * would be looked up in the user's default organization. A DIY (file, S3, Azure Blob) backend
 * reports the organization "organization", and there the bare stack name is the one form both of
 * its layouts accept: the project layout infers the current project
 * (pkg/backend/diy/store.go:137-176 at v3.248.0), while the legacy layout of states created before
 * projects existed takes a plain stack name only and refuses `organization/project/stack`
 * (store.go:360-373).
 */
export function selfReference(organization: string, project: string, stack: string): string {
    return organization === "organization" ? stack : `${organization}/${project}/${stack}`;
}

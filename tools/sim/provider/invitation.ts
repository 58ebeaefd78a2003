import { randomUUID } from "crypto";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { Graph, GraphError } from "../tenant/graph";
import { diag, DiagnosticsError, Operation, partialFailure, SdkError } from "./sdk";

/**
 * azuread:index/invitation:Invitation, as internal/services/invitations/invitation_resource.go
 * (terraform-provider-azuread v3.8.0) does it. Lines cited are in that file.
 */
export const INVITATION = "azuread:index/invitation:Invitation";

/** Every argument is ForceNew (29-126): there is no Update. */
export const INVITATION_INPUTS = ["redirectUrl", "userEmailAddress", "userDisplayName", "message", "userType"];

export interface InvitationState {
    userEmailAddress: string;
    redirectUrl: string;
    userDisplayName?: string;
    userType: string;
    message?: { body?: string; language?: string; additionalRecipients?: string };
    userId: string;
    redeemUrl: string;
}

/**
 * validation.StringIsEmailAddress (internal/helpers/tf/validation/strings.go:13-29), the
 * ValidateFunc of `user_email_address` (invitation_resource.go:50-56): ASCII letters, digits and
 * these symbols before the `@`, ASCII DNS labels after it, so a non-ASCII address fails at Check,
 * in a preview too.
 */
const EMAIL_ADDRESS = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/**
 * The text of a ValidateFunc's error (strings.go:20, 25) as the bridge sends it: the plugin SDK
 * makes the error the diagnostic's summary (vendored helper/schema/schema.go:630-636), and the
 * bridge adds where to look and sets no property (bridge pkg/tfbridge/adapt_check_failures.go:44-50,
 * check_failures.go:192-199), `urn.Name()` being what follows the URN's third `::` (pulumi
 * sdk/go/common/resource/urn/urn.go:185-187).
 */
function emailFailure(urn: string, value: string): CheckFailure | undefined {
    const summary = value.trim() === "" ? 'value must not be empty for "user_email_address"' : EMAIL_ADDRESS.test(value) ? undefined : 'value must be a valid email address for "user_email_address"';
    return summary === undefined ? undefined : { property: "", reason: `${summary}. Examine values at '${urn.split("::").slice(3).join("::")}.userEmailAddress'.` };
}

/** Defaults and the schema's validations (42-111). */
export function checkInvitation(urn: string, news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
    const inputs: Record<string, unknown> = { userType: "Guest", ...news };
    const failures: CheckFailure[] = [];
    const known = (v: unknown) => typeof v === "string" && v !== UNKNOWN;
    if (known(inputs.redirectUrl) && !/^https?:\/\/[^\s]+$/i.test(inputs.redirectUrl as string)) {
        failures.push({ property: "redirectUrl", reason: `expected "redirect_url" to have a host, got ${inputs.redirectUrl}` });
    }
    const email = known(inputs.userEmailAddress) ? emailFailure(urn, inputs.userEmailAddress as string) : undefined;
    if (email) failures.push(email);
    if (known(inputs.userType) && !["Guest", "Member"].includes(inputs.userType as string)) {
        failures.push({ property: "userType", reason: `expected user_type to be one of ["Guest" "Member"], got ${inputs.userType}` });
    }
    const message = inputs.message as InvitationState["message"] | undefined;
    if (message?.body !== undefined && message.language !== undefined) {
        failures.push({ property: "message.body", reason: '"message.0.body": conflicts with message.0.language' });
    }
    return { inputs, failures };
}

/** Create (128-219). */
export async function createInvitation(graph: Graph, op: Operation, urn: string, inputs: InvitationState): Promise<{ id: string; outs: InvitationState }> {
    const message = inputs.message;
    const body = {
        email: inputs.userEmailAddress,
        redirectUrl: inputs.redirectUrl,
        displayName: inputs.userDisplayName,
        userType: inputs.userType,
        // Mail goes out whenever the block exists (132-145).
        sendMessage: message !== undefined,
        message: message && { body: message.body || null, language: message.language ?? null, cc: message.additionalRecipients ? [message.additionalRecipients] : [] },
    };
    let invitation;
    try {
        invitation = await op.call(() => graph.createInvitation(body));
    } catch (err) {
        throw new DiagnosticsError([diag("Creating invitation", err)]);
    }
    // The ID is set here (161): a failure from now on leaves a created resource behind.
    const id = invitation.id;
    const userId = invitation.invitedUserId;
    const outs: InvitationState = { ...inputs, userId, redeemUrl: invitation.inviteRedeemUrl };
    try {
        // Probes replication by patching companyName, retrying 404/500/503 (175-195), then sets it
        // to null (197-205): an existing user's company name is lost.
        await patch(graph, op, userId, `TERRAFORM_UPDATE_${randomUUID()}`, (e) => [404, 500, 503].includes(e.status), "1");
        await patch(graph, op, userId, null, undefined, "2");
        // WaitForUpdate on GET /users/{id}, where a 404 counts as done too (207-216).
        try {
            await op.waitFor("Done", "Waiting", async () => {
                try {
                    await op.call(() => graph.getUser(userId));
                } catch (err) {
                    if (!(err instanceof SdkError && err.graph.status === 404)) throw new Error(`update invitation for ${userId}: ${(err as Error).message}`);
                }
                return true;
            });
        } catch (err) {
            throw new DiagnosticsError([diag(`Waiting for creation of invited User (User: "${userId}")`, err)]);
        }
        // Create ends with Read (218).
        return { id, outs: await readInvitation(graph, op, outs) };
    } catch (err) {
        if (err instanceof DiagnosticsError) throw partialFailure(urn, id, outs, err);
        throw err;
    }
}

async function patch(graph: Graph, op: Operation, userId: string, companyName: string | null, retryOn: ((e: GraphError) => boolean) | undefined, n: string) {
    try {
        await op.call(() => graph.patchUser(userId, { companyName }), retryOn);
    } catch (err) {
        const replication = err instanceof SdkError && err.graph.status === 404;
        throw new DiagnosticsError([diag(replication ? "Timed out whilst waiting for new guest user to be replicated in Azure AD" : `Failed to patch guest user (${n}) after creating invitation`, err)]);
    }
}

/**
 * Read (221-243): a deleted user leaves the resource in state with an empty `userId` (226-231),
 * and `userEmailAddress` is copied back from the user's `mail` (239-240).
 */
export async function readInvitation(graph: Graph, op: Operation, state: InvitationState): Promise<InvitationState> {
    if (!state.userId) return { ...state, userId: "" };
    try {
        const user = await op.call(() => graph.getUser(state.userId));
        return { ...state, userId: user.id, userEmailAddress: user.mail ?? "" };
    } catch (err) {
        if (err instanceof SdkError && err.graph.status === 404) return { ...state, userId: "" };
        throw new DiagnosticsError([diag(`Retrieving invited User (User: "${state.userId}")`, err)]);
    }
}

/** Delete (245-267): deletes the user, with no tolerance for 404, then waits for 5 consecutive 404s. */
export async function deleteInvitation(graph: Graph, op: Operation, state: InvitationState): Promise<void> {
    const user = `User (User: "${state.userId}")`;
    try {
        await op.call(() => graph.deleteUser(state.userId));
    } catch (err) {
        throw new DiagnosticsError([diag(`Deleting invited ${user}`, err, "id")]);
    }
    try {
        await op.waitFor("Deleted", "Waiting", async () => {
            try {
                await op.call(() => graph.getUser(state.userId));
                return false;
            } catch (err) {
                if (err instanceof SdkError && err.graph.status === 404) return true;
                throw err;
            }
        });
    } catch (err) {
        throw new DiagnosticsError([diag(`Waiting for deletion of invited ${user}`, err)]);
    }
}

/** The engine's "unknown" sentinel: an input not known until apply (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

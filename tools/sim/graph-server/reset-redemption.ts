import { z } from "zod";
import { GraphError, Graph } from "../tenant/graph";
import { invitationBody } from "./invitation-body";

/**
 * POST /invitations with `resetRedemption: true`. Graph requires the `invitedUser`
 * relationship with the user's ID then (learn.microsoft.com/graph/api/resources/invitation,
 * property resetRedemption); the user keeps its object ID, groups and app assignments and must
 * redeem again (learn.microsoft.com/entra/external-id/reset-redemption-status), so here its
 * externalUserState returns to PendingAcceptance, changed now. Without `resetRedemption` the
 * request is an ordinary invitation, answered as before (server.ts). The wording of the 400s is ours.
 */
export function isReset(json: unknown): boolean {
    return typeof json === "object" && json !== null && (json as { resetRedemption?: unknown }).resetRedemption === true;
}

const resetBody = invitationBody.extend({
    resetRedemption: z.literal(true),
    invitedUser: z.object({ id: z.string().min(1) }, { error: "is required when resetRedemption is true" }),
});

export function resetRedemption(graph: Graph, json: unknown): { status: number; body: unknown } {
    const parsed = resetBody.safeParse(json);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `\`${i.path.join(".")}\`: ${i.message}`).join("; ");
        throw new GraphError(400, "BadRequest", `Invalid invitation: ${problems}.`);
    }
    const b = parsed.data;
    const invitation = graph.request("POST", "/invitations", true, (t, commit) => {
        const fail = t.faults.failInvitation[b.invitedUserEmailAddress.toLowerCase()];
        if (fail) throw new GraphError(fail.status, fail.code, fail.message);
        const user = t.users.find((u) => u.id === b.invitedUser.id);
        if (!user) throw new GraphError(404, "Request_ResourceNotFound", `Resource '${b.invitedUser.id}' does not exist or one of its queried reference-property objects are not present.`);
        if ((user.mail ?? "").toLowerCase() !== b.invitedUserEmailAddress.toLowerCase()) {
            throw new GraphError(400, "BadRequest", `The invited user's mail is not '${b.invitedUserEmailAddress}': set it as the user's mail before resetting its redemption (the simulated Graph does not move a user to another address).`);
        }
        commit({ op: "user", user: { ...user, externalUserState: "PendingAcceptance", externalUserStateChangeDateTime: new Date().toISOString() } });
        const info = b.invitedUserMessageInfo;
        const message = info ? { body: info.customizedMessageBody ?? null, language: info.messageLanguage ?? null, cc: info.ccRecipients.map((r) => r.emailAddress.address) } : undefined;
        const inv = graph.recordInvitation(t, commit, user.id, { email: b.invitedUserEmailAddress, sendMessage: b.sendInvitationMessage, message });
        return { status: 201, value: inv };
    });
    return {
        status: 201,
        body: {
            id: invitation.id,
            invitedUserEmailAddress: invitation.invitedUserEmailAddress,
            inviteRedeemUrl: invitation.inviteRedeemUrl,
            inviteRedirectUrl: b.inviteRedirectUrl,
            sendInvitationMessage: invitation.sendInvitationMessage,
            resetRedemption: true,
            status: "PendingAcceptance",
            invitedUser: { id: invitation.invitedUserId },
        },
    };
}

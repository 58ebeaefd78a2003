import { z } from "zod";

/** The body of POST /invitations as the face reads it (learn.microsoft.com/graph/api/resources/invitation). */
export const invitationBody = z.object({
    invitedUserEmailAddress: z.string().min(1),
    inviteRedirectUrl: z.string().min(1),
    invitedUserDisplayName: z.string().optional(),
    invitedUserType: z.enum(["Guest", "Member"]).default("Guest"),
    sendInvitationMessage: z.boolean().default(false),
    invitedUserMessageInfo: z
        .object({
            customizedMessageBody: z.string().nullable().optional(),
            messageLanguage: z.string().nullable().optional(),
            ccRecipients: z.array(z.object({ emailAddress: z.object({ address: z.string() }) })).default([]),
        })
        .optional(),
});

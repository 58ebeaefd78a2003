import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { READ_STACK_OUTPUTS } from "../../components/previous-deployment";
import { GUEST_USER_TYPE } from "../../plan/guest-user";

/** A stable object ID for a group name, the same in the program's lookups and the floor. */
export function groupId(name: string): string {
    const h = createHash("sha1").update(name.toLowerCase()).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The mocks both benchmarked programs run under: each resource echoes its inputs, a guest user
 * (the program's GuestUser, the floor's Invitation) gets a user ID, a group lookup answers from
 * `groupId`, and the stack has no previous deployment. The same for the program and the floor,
 * so the difference is ours.
 */
export const benchMocks: pulumi.runtime.Mocks = {
    newResource(args) {
        if (args.type === GUEST_USER_TYPE) {
            return { id: args.name, state: { ...args.inputs, userId: `user-${args.inputs.email}`, createdByStack: true, tenantUserType: "Guest", ready: true, redeemUrl: "https://login.microsoftonline.com/redeem" } };
        }
        if (args.type === "azuread:index/invitation:Invitation") {
            return { id: args.name, state: { ...args.inputs, userId: `user-${args.inputs.userEmailAddress}`, redeemUrl: "https://login.microsoftonline.com/redeem" } };
        }
        return { id: args.name, state: args.inputs };
    },
    call(args) {
        if (args.token === READ_STACK_OUTPUTS) return { name: args.inputs.name, outputs: {}, secretOutputNames: [] };
        if (args.token === "azuread:index/getGroup:getGroup") return { objectId: groupId(String(args.inputs.displayName)) };
        throw new Error(`unmocked call ${args.token}`);
    },
};

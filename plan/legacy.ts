import { ManagedGuests } from "./previous";

/**
 * A stack deployed by a version that kept each guest's user in an `azuread.Invitation`, in
 * today's terms. That Invitation's delete deletes its user (invitation_resource.go:245-251 at
 * v3.8.0), so it is never simply dropped: it is registered once more with `retainOnDelete` (a
 * stand-in, components/entra-guests.ts) until a run that did so finishes, and the engine then drops
 * it without calling the provider (pkg/resource/deploy/step.go:628-630 at v3.248.0). Its user moves
 * to a GuestUser: one the Invitation created is claimed as the stack's own; one it adopted stays
 * adopted. Entries such a version wrote carry none of today's `owner` (see `ManagedGuest`).
 */
export function fromLegacy(prev: ManagedGuests): ManagedGuests {
    const guests: ManagedGuests = {};
    for (const [email, e] of Object.entries(prev)) {
        const { adopted, invitation, reinvite, provisional, leaving, ...rest } = e;
        void leaving;
        if (rest.owner !== undefined) {
            guests[email] = rest;
        } else if (adopted && rest.userId !== undefined) {
            // With `invitation`, an Invitation without a message block owned it (deleteAdoptedUsers).
            guests[email] = { ...rest, owner: "adopted", ...(invitation ? { legacyInvitation: true as const } : {}) };
        } else if (rest.userId !== undefined && !provisional && !reinvite) {
            guests[email] = { ...rest, owner: "stack", legacyInvitation: true };
        } else {
            // Invited without its user seen (its Invitation is retained already), or waiting for a
            // re-invitation (retained too): looked up like a new guest, never claimed, as the
            // stack cannot prove that its Invitation created what the lookup finds.
            const { userId: _u, ...unknown } = rest;
            guests[email] = unknown;
        }
    }
    return guests;
}

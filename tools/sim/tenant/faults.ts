import { Tenant } from "./format";
import { Change } from "./store";

/** The fault counters kept per address (the user's mail, lower-cased). */
export type AddressFault = "memberReadBackMisses" | "readBackErrors" | "assignmentReadBackMisses" | "assignmentPostLanded";

/**
 * Spends one firing of an address's fault: true when it fires. The counter goes down through a
 * committed change, so it is journaled and stays spent even when the request then fails.
 */
export function spend(t: Tenant, commit: (c: Change) => void, fault: AddressFault, userId: string): boolean {
    const email = t.users.find((u) => u.id === userId)?.mail?.toLowerCase() ?? "";
    const left = t.faults[fault][email] ?? 0;
    if (left <= 0) return false;
    commit({ op: "faults", faults: { ...t.faults, [fault]: { ...t.faults[fault], [email]: left - 1 } } });
    return true;
}

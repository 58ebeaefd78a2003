// What each guest has, read from `pulumi stack export`: the state holds it, so the program
// publishes no per-guest stack outputs. The export is input: it may
// be hand-edited or written by another version, so every field is checked and a resource that
// lacks one is reported, never a crash. No Pulumi SDK here, no disk.
import { COMPONENT_NAME, TYPES } from "../../../plan";
import { quote } from "../../../roster/problems";

/** One guest's access as the state records it. */
export interface GuestAccess {
    displayName?: string;
    /** The guest user's object ID; null when the state holds memberships but no guest user. */
    userId: string | null;
    /**
     * Whose user it is, as the state records it: `invited` (the stack's invitation created it, and
     * removing the guest may delete it), `adopted` (it existed before; kept unless
     * deleteAdoptedUsers), `member` (an existing member whose access the files manage; never
     * deleted); null when the state does not say (an azuread.Invitation of an earlier version).
     */
    ownership: "invited" | "adopted" | "member" | null;
    /** Group object IDs, sorted. */
    groups: string[];
    /** Service principal object ID and app role ID of each assignment, sorted. */
    apps: { app: string; role: string }[];
    /** The redemption URL (secret): the URL with `showSecrets`, else "[secret]"; null when the state has none. */
    redeemUrl: string | null;
}

export interface StackAccess {
    /** Normalised email -> access, sorted by email. */
    guests: Record<string, GuestAccess>;
    /** Resources that could not be read, one sentence each, with the guest they belong to when known. */
    problems: StateProblem[];
}

export interface StateProblem {
    email?: string;
    message: string;
}

/** Pulumi's marker for a secret value in a deployment (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const HIDDEN = "[secret]";

/** Thrown when the export as a whole is not a deployment this reads: nothing to show. */
export class ExportError extends Error {}

/**
 * The guests' access in `pulumi stack export` output (deployment versions 3 and 4, which share
 * the resource format). `showSecrets` says whether the export was made with --show-secrets.
 */
export function readStackAccess(exported: unknown, showSecrets: boolean): StackAccess {
    if (!isObject(exported) || !isObject(exported.deployment)) throw new ExportError(`the export has no \`deployment\` object (got ${quote(exported)}); expected what \`pulumi stack export\` prints`);
    if (exported.version !== 3 && exported.version !== 4) throw new ExportError(`the export is deployment version ${quote(exported.version)}, this command reads versions 3 and 4; update entra-guests or the pulumi CLI`);
    const resources = exported.deployment.resources ?? [];
    if (!Array.isArray(resources)) throw new ExportError(`the export's \`deployment.resources\` is not a list (got ${quote(resources)}); expected what \`pulumi stack export\` prints`);
    const access = new AccessCollector(showSecrets);
    resources.forEach((r, i) => access.add(r, i));
    return access.result();
}

/** One resource of the export, as far as it belongs to a guest. */
interface GuestResource {
    /** The resource's name: the component, the email, then the group or app. */
    name: string;
    email: string;
    target?: string;
    outputs: Record<string, unknown>;
    /** An output, else the input of that name. */
    field(key: string): unknown;
}

class AccessCollector {
    private readonly guests = new Map<string, GuestAccess>();
    private readonly problems: StateProblem[] = [];

    constructor(private readonly showSecrets: boolean) {}

    add(r: unknown, i: number): void {
        if (!isObject(r) || typeof r.urn !== "string" || typeof r.type !== "string") {
            this.problems.push({ message: `resource ${i + 1} of the export has no \`urn\` or \`type\` (got ${quote(r)}); it was left out` });
            return;
        }
        // A resource marked for deletion is the old half of a replacement, not what the guest has.
        if (r.delete === true) return;
        const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
        if (!name.startsWith(`${COMPONENT_NAME}/`)) return;
        // Names are the component, the email, then the group or app: an address holds no "/".
        const [email, target] = name.slice(COMPONENT_NAME.length + 1).split("/");
        const outputs = isObject(r.outputs) ? r.outputs : {};
        const inputs = isObject(r.inputs) ? r.inputs : {};
        const res: GuestResource = { name, email, target, outputs, field: (key) => (key in outputs ? outputs[key] : inputs[key]) };
        switch (r.type) {
            case TYPES.guestUser:
                return void (target === undefined && this.user(res, "displayName", (f) => (f("existingMember") === true ? "member" : f("createdByStack") === true ? "invited" : "adopted")));
            case TYPES.invitation:
                // An earlier version's Invitation, or its retained stand-in beside a GuestUser: the GuestUser wins.
                return void (target === undefined && !this.guests.get(email)?.ownership && this.user(res, "userDisplayName", () => null));
            case TYPES.groupMember:
                return void (target !== undefined && this.text(res, "groupObjectId", (group) => this.guest(email).groups.push(group)));
            case TYPES.appRoleAssignment:
                return void (target !== undefined && this.text(res, "resourceObjectId", (app) => this.text(res, "appRoleId", (role) => this.guest(email).apps.push({ app, role }))));
        }
    }

    result(): StackAccess {
        for (const [email, g] of this.guests) {
            if (g.userId === null) this.problems.push({ email, message: `${COMPONENT_NAME}/${email} has memberships or app assignments in the state but no guest user; \`pulumi up\` registers it again (adopting the user that has the address, or inviting it)` });
            g.groups.sort(compare);
            g.apps.sort((a, b) => compare(a.app, b.app) || compare(a.role, b.role));
        }
        const sorted: Record<string, GuestAccess> = {};
        for (const email of [...this.guests.keys()].sort(compare)) sorted[email] = this.guests.get(email)!;
        return { guests: sorted, problems: this.problems };
    }

    private guest(email: string): GuestAccess {
        let g = this.guests.get(email);
        if (!g) this.guests.set(email, (g = { userId: null, ownership: null, groups: [], apps: [], redeemUrl: null }));
        return g;
    }

    /** Calls `use` with the text field `key`, or reports the resource as left out. */
    private text(res: GuestResource, key: string, use: (value: string) => void): void {
        const value = res.field(key);
        if (typeof value === "string") return use(value);
        this.problems.push({ email: res.email, message: `${res.name} has no text \`${key}\` in the state (got ${quote(value)}); it was left out, run \`pulumi refresh\` and try again` });
    }

    /** The guest's user, from a GuestUser or an earlier version's Invitation. */
    private user(res: GuestResource, displayNameKey: string, ownership: (field: GuestResource["field"]) => GuestAccess["ownership"]): void {
        this.text(res, "userId", (userId) => {
            const g = this.guest(res.email);
            g.userId = userId;
            g.ownership = ownership(res.field);
            const displayName = res.field(displayNameKey);
            if (typeof displayName === "string" && displayName !== "") g.displayName = displayName;
            const url = redeemUrl(res.outputs.redeemUrl, this.showSecrets);
            if (typeof url === "string" || url === null) g.redeemUrl = url;
            else this.problems.push({ email: res.email, message: `${res.name} has a redeem URL that cannot be read (${url.problem}); the others are shown` });
        });
    }
}

/**
 * The redeem URL as the export holds it: a secret, `{ SIG_KEY: SECRET_SIG, ciphertext }` or with
 * --show-secrets `{ SIG_KEY: SECRET_SIG, plaintext: "<the value as JSON>" }`
 * (pkg/resource/stack/deployment.go, SerializePropertyValue); plain text in a state written
 * before it was made secret.
 */
function redeemUrl(value: unknown, showSecrets: boolean): string | null | { problem: string } {
    if (value === undefined || value === null || value === "") return null;
    if (!showSecrets) return HIDDEN;
    if (typeof value === "string") return value;
    if (!isObject(value) || value[SIG_KEY] !== SECRET_SIG) return { problem: `got ${quote(value)}` };
    if (typeof value.plaintext !== "string") return { problem: "it is still encrypted: the export was made without --show-secrets" };
    let plain: unknown;
    try {
        plain = JSON.parse(value.plaintext);
    } catch {
        return { problem: `its plaintext is not JSON (got ${quote(value.plaintext)})` };
    }
    if (plain === null || plain === "") return null;
    return typeof plain === "string" ? plain : { problem: `it is not text (got ${quote(plain)})` };
}

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

import { generateGuests, GeneratedGuest } from "../generate";

/** How many distinct groups the guests draw from (tools/bench/generate.ts's default pool). */
export const GROUP_POOL = 50;
/** The date both benches judge `expires` on. */
export const AS_OF = "2026-11-22";
/**
 * "no-change up": a second `up` with nothing changed, the steady-state deploy (ours checks that
 * every recorded user still exists, one request per 1,000); measured on its own so that the 1%
 * rows are a steady-state pull request.
 */
export const ROWS = ["first preview", "first up", "no-change preview", "no-change up", "1% preview", "1% up", "destroy"] as const;
export type RowName = (typeof ROWS)[number];

const GROUPS_PER_GUEST = 2;
const PER_FILE = 5000;

/**
 * The "1% changed" rows of `npm run bench:engine`, as a mix of what pull requests do: of 1% of the guests
 * (rounded up), a third are removed, a third move from one group to another (their second group
 * is replaced: one membership deleted, one created), and the rest are new guests.
 */
export interface ChangeMix {
    removed: number;
    regrouped: number;
    added: number;
}

export function changeMix(guests: number): ChangeMix {
    const changed = Math.ceil(guests / 100);
    const third = Math.floor(changed / 3);
    return { removed: third, regrouped: third, added: changed - 2 * third };
}

export function groupNames(): string[] {
    return Array.from({ length: GROUP_POOL }, (_, i) => `Group ${String(i).padStart(3, "0")}`);
}

/**
 * The guest files of both steps, in the native CSV both programs read (tools/bench/generate.ts's
 * deterministic guests): `initial` has `guests` guests, `changed` the same after the mix.
 * `part`/`parts` keep every parts-th file (a stack split by file).
 */
export function rosterFiles(guests: number, step: "initial" | "changed"): Record<string, string> {
    const mix = changeMix(guests);
    const all = generateGuests({ guests: guests + mix.added, groupsPerGuest: GROUPS_PER_GUEST, groupPool: GROUP_POOL, formats: ["native"], perFile: PER_FILE });
    let rows: GeneratedGuest[] = all.slice(0, guests);
    if (step === "changed") {
        rows = rows.slice(mix.removed).map((g, i) => (i < mix.regrouped ? { ...g, groups: [g.groups[0], otherGroup(g.groups)] } : g));
        rows.push(...all.slice(guests).map((g) => ({ ...g, file: Math.floor((guests - 1) / PER_FILE) })));
    }
    const files: Record<string, string> = {};
    for (const g of rows) {
        const name = `generated-${String(g.file).padStart(3, "0")}.csv`;
        files[name] = (files[name] ?? "email,displayName,groups\n") + `${g.email},${g.name},${g.groups.join(";")}\n`;
    }
    return files;
}

/** The first group of the pool the guest is not in. */
function otherGroup(groups: string[]): string {
    return groupNames().find((g) => !groups.includes(g))!;
}

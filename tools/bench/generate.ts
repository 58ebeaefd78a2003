/**
 * A deterministic roster generator for benchmarks: N guests with K groups each, spread over
 * the formats teams use. The same seed gives the same bytes on every machine.
 */
export interface GeneratedFile {
    path: string;
    text: string;
}

export interface GenerateOptions {
    guests: number;
    groupsPerGuest: number;
    /** How many distinct groups the guests draw from. */
    groupPool?: number;
    seed?: number;
    /** Which formats to spread the guests over, round-robin by file. */
    formats?: ("native" | "portal" | "yaml")[];
    /** Guests per file. */
    perFile?: number;
}

/** mulberry32: small, fast and good enough to shuffle fixtures. */
export function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const FIRST = ["ann", "bo", "chloe", "dev", "eli", "fatima", "gus", "hana", "ivan", "jonas", "kim", "lena", "mei", "omar", "raj", "sara"];
const DOMAINS = ["fabrikam.com", "northwind.de", "litware.com", "proseware.com", "wingtip.no", "tailspin.es"];

/** One generated guest, and the file it is written to. */
export interface GeneratedGuest {
    email: string;
    name: string;
    groups: string[];
    file: number;
}

/** The guests alone, as the files declare them (the portal template carries no groups). */
export function generateGuests(options: GenerateOptions): GeneratedGuest[] {
    const rand = random(options.seed ?? 42);
    const pool = options.groupPool ?? 50;
    const formats = options.formats ?? ["native", "yaml", "portal"];
    const perFile = options.perFile ?? 5000;
    const guests: GeneratedGuest[] = [];
    for (let i = 0; i < options.guests; i++) {
        const file = Math.floor(i / perFile);
        const first = FIRST[Math.floor(rand() * FIRST.length)];
        const domain = DOMAINS[Math.floor(rand() * DOMAINS.length)];
        const groups = new Set<string>();
        while (groups.size < Math.min(options.groupsPerGuest, pool)) groups.add(`Group ${String(Math.floor(rand() * pool)).padStart(3, "0")}`);
        const portal = formats[file % formats.length] === "portal";
        guests.push({ email: `${first}.${i}@${domain}`, name: `${first} ${i}`, groups: portal ? [] : [...groups], file });
    }
    return guests;
}

const PORTAL_HEADER =
    "version:v1.0,,,\r\nEmail address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\r\n";

export function generateRoster(options: GenerateOptions): GeneratedFile[] {
    const formats = options.formats ?? ["native", "yaml", "portal"];
    const byFile = new Map<number, GeneratedGuest[]>();
    for (const g of generateGuests(options)) {
        const rows = byFile.get(g.file);
        if (rows) rows.push(g);
        else byFile.set(g.file, [g]);
    }
    const files: GeneratedFile[] = [];
    for (const [index, rows] of byFile) {
        const format = formats[index % formats.length];
        const name = `guests/generated-${String(index).padStart(3, "0")}`;
        if (format === "yaml") {
            const body = rows.map((r) => `  - email: ${r.email}\n    displayName: ${r.name}\n    groups: [${r.groups.join(", ")}]\n`).join("");
            files.push({ path: `${name}.yaml`, text: `guests:\n${body}` });
        } else if (format === "portal") {
            files.push({ path: `${name}.csv`, text: PORTAL_HEADER + rows.map((r) => `${r.email},https://myapps.microsoft.com,FALSE,\r\n`).join("") });
        } else {
            files.push({ path: `${name}.csv`, text: "email,displayName,groups\n" + rows.map((r) => `${r.email},${r.name},${r.groups.join(";")}\n`).join("") });
        }
    }
    return files;
}

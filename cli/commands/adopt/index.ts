// `entra-guests adopt`: write a guest file from what the tenant already holds for some groups
// (and apps), so the first pull request declares what exists and its preview adopts it.
import { promises as fs } from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { GraphAdoptionReads } from "../../../graph/adoption-reads";
import { describeUser, Identity } from "../../../graph/identity";
import { graphClientFromEnvironment } from "../../../graph/credentials";
import { GraphRequestError } from "../../../graph/errors";
import { buildPlan } from "../../../plan";
import { buildRoster, displayPath, findGuestFiles, Guest, plural, readSources, SourceFile } from "../../../roster";
import { collectEntries, declaredDifference, Skipped } from "./entries";
import { AdoptFormat, renderAdopted } from "./file";
import { resolveApps, resolveGroups } from "./resolve";
import { ArgumentFileError, oneOf, UsageError } from "../../shell/errors";
import { forTerminal } from "../../../text/escape";
import { waitReporter } from "../../shell/graph";
import { EXIT, Io } from "../../shell/io";
import { problemLine } from "../../shell/output";
import { projectFolder, readProjectSettings } from "../../shell/project-config";

/** The directory could not be read, or named no single group or app: one line each, exit 1. */
class AdoptError extends Error {
    constructor(readonly lines: string[]) {
        super(lines.join("; "));
    }
}

interface AdoptOptions {
    groupRefs: string[];
    appRefs: string[];
    format: AdoptFormat;
    stack?: string;
    out?: string;
    includeMembers: boolean;
    force: boolean;
}

export async function adopt(args: string[], io: Io): Promise<number> {
    const options = adoptOptions(args);
    const project = projectFolder(io.cwd);
    const settings = await readProjectSettings(project, options.stack);
    if (!settings.ok) {
        io.stderr.write(settings.errors.map((e) => `${e}\n`).join(""));
        return EXIT.usage;
    }
    const out = options.out === undefined ? path.join(project, "guests", `adopted.${options.format}`) : path.resolve(io.cwd, options.out);
    const shownOut = displayPath(out, io.cwd);
    const exists = await fs.stat(out).then(() => true, () => false);
    if (exists && !options.force) throw new ArgumentFileError(`${shownOut} exists; adopt writes a new file and never edits one: name another with --out, or pass --force to replace it`);

    const existing = await declaredGuests(settings.settings, project, out);
    if (existing.errors.length > 0) {
        for (const p of existing.errors) io.stderr.write(`${problemLine(p)}\n`);
        io.stderr.write(`entra-guests: the project's guest files have ${plural(existing.errors.length, "error")}; adopt needs them valid to leave out who is already declared: fix them (\`npx entra-guests validate\`), then run again\n`);
        return EXIT.failed;
    }
    let read;
    try {
        read = await readDirectory(options.groupRefs, options.appRefs, options.includeMembers, io);
    } catch (err) {
        if (!(err instanceof AdoptError)) throw err;
        for (const line of err.lines) io.stderr.write(`entra-guests: ${forTerminal(line)}\n`);
        return EXIT.failed;
    }
    const chosen = await undeclaredEntries(read, existing.guests);
    if (chosen instanceof Error) {
        io.stderr.write(`entra-guests: ${forTerminal(chosen.message)}; nothing was written\n`);
        return EXIT.failed;
    }
    const at = (io.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const provenance = { at, groups: options.groupRefs, apps: options.appRefs, includeMembers: options.includeMembers };
    const { entries, rendered } = await validEntries(chosen.entries, chosen.skipped, (e) => renderAdopted(e, options.format, provenance), { sources: existing.sources, settings: settings.settings, shownOut, project, out });

    const lines: string[] = [];
    if (entries.length === 0) {
        lines.push(`nothing to write: no ${provenance.includeMembers ? "user" : "guest"} of these groups is left to declare`);
    } else {
        await fs.mkdir(path.dirname(out), { recursive: true });
        await fs.writeFile(out, rendered.text);
        lines.push(`${shownOut}: ${plural(entries.length, "user")} written (${plural(read.groups.length, "group")}, ${plural(read.apps.length, "app")})`);
    }
    lines.push(`${plural(chosen.alreadyDeclared, "user")} already declared in the guest files, left out`);
    if (read.collected.membersLeftOut > 0) lines.push(`${plural(read.collected.membersLeftOut, "member")} of the tenant (userType Member) left out; --include-members writes them too`);
    lines.push(`${plural(chosen.skipped.length, "user")} skipped${chosen.skipped.length ? ":" : ""}`);
    for (const s of chosen.skipped) lines.push(`  ${s.who}: ${s.reason}`);
    for (const n of chosen.notes) lines.push(`note: ${n}`);
    if (entries.length > 0) {
        if (!(await readByStack(settings.settings.guests, project, out))) {
            lines.push(`note: the stack's \`entra-guests:guests\` setting (${settings.settings.guests.join(", ")}) does not read ${shownOut}; move it there, or add it to the setting`);
        }
        lines.push(`next: review ${shownOut}, commit it and open a pull request; its \`pulumi preview\` adopts these users (no invitation, no mail) and shows their memberships and app role assignments as imports, with nothing created or deleted`);
    }
    io.stdout.write(lines.map((l) => `${forTerminal(l)}\n`).join(""));
    return EXIT.ok;
}

function adoptOptions(args: string[]): AdoptOptions {
    const { values } = parseArgs({
        args,
        options: {
            group: { type: "string", multiple: true },
            app: { type: "string", multiple: true },
            out: { type: "string" },
            format: { type: "string" },
            stack: { type: "string" },
            "include-members": { type: "boolean" },
            force: { type: "boolean" },
        },
    });
    const groupRefs = (values.group ?? []).map((g) => g.trim());
    const appRefs = (values.app ?? []).map((a) => a.trim());
    if (groupRefs.length === 0) throw new UsageError("adopt needs at least one --group NAME|OBJECT_ID: the groups whose members to declare");
    if ([...groupRefs, ...appRefs].includes("")) throw new UsageError("--group and --app need a name or ID (got an empty one)");
    const format = formatFor(values.format, values.out);
    return { groupRefs, appRefs, format, stack: values.stack, out: values.out, includeMembers: values["include-members"] === true, force: values.force === true };
}

type Settings = Parameters<typeof buildRoster>[1] & { guests: string[] };

/** What the project already declares (the file being replaced aside), as `validate --stack` reads it. */
async function declaredGuests(settings: Settings, project: string, out: string) {
    const options = { ...settings, cwd: project, within: project, allowMissing: true };
    const found = await findGuestFiles(settings.guests, project, options);
    const realOut = await fs.realpath(out).catch(() => out);
    const kept = [];
    for (const f of found.files) if ((await fs.realpath(f).catch(() => f)) !== realOut) kept.push(f);
    const sources = await readSources(kept, project);
    const roster = buildRoster(sources, options);
    return { sources, errors: roster.errors, guests: new Map<string, Guest>([...roster.guests, ...roster.expired].map((g) => [g.email, g])) };
}

type DirectoryRead = Awaited<ReturnType<typeof readDirectory>>;

/**
 * The users no guest file declares yet, by any address the user is known by (the identity rule,
 * graph/identity.ts); a declared one that differs is a note. An address that names several users
 * would stop `pulumi preview`: such a user is skipped with the reason.
 */
async function undeclaredEntries(read: DirectoryRead, declared: Map<string, Guest>) {
    const notes = [...read.notes, ...read.collected.notes];
    const skipped: Skipped[] = [...read.collected.skipped];
    const entries = read.collected.entries.filter((e) => {
        const before = e.addresses.map((a) => declared.get(a)).find((g) => g !== undefined);
        if (!before) return true;
        const difference = declaredDifference(before, e, read.groups, read.apps);
        if (difference) notes.push(difference);
        return false;
    });
    const alreadyDeclared = read.collected.entries.length - entries.length;
    const identities = entries.length > 0 ? await read.identities(entries.map((e) => e.email)).catch((err: Error) => err) : new Map<string, Identity>();
    if (identities instanceof Error) return identities;
    const unambiguous = entries.filter((e) => {
        const identity = identities.get(e.email);
        if (identity?.kind !== "several") return true;
        skipped.push({ who: e.email, reason: `the address names ${identity.users.length} users in the tenant (${identity.users.map(describeUser).join(", ")}), and the stack will not pick one; give the address to one user only, then run again` });
        return false;
    });
    return { entries: unambiguous, skipped, notes, alreadyDeclared };
}

type Entry = DirectoryRead["collected"]["entries"][number];
type Rendered = ReturnType<typeof renderAdopted>;

/**
 * The file must pass what `validate` and `plan` check, beside the project's other files: a user
 * the rules refuse (a blocked domain, a name with a control character) is left out with the
 * reason, added to `skipped`.
 */
async function validEntries(entries: Entry[], skipped: Skipped[], render: (e: Entry[]) => Rendered, where: { sources: SourceFile[]; settings: Settings; shownOut: string; project: string; out: string }) {
    let rendered = render(entries);
    for (let round = 0; entries.length > 0; round++) {
        const refused = await refusedEntries(rendered, where.sources, where.settings, where.shownOut, where.project, where.out);
        if (refused.size === 0) break;
        if (round === 2 || [...refused.keys()].includes("")) {
            throw new Error(`the file adopt would write does not validate (${[...refused.values()].flat()[0]}); nothing was written`);
        }
        for (const [email, reasons] of refused) skipped.push({ who: email, reason: reasons.join("; ") });
        entries = entries.filter((e) => !refused.has(e.email));
        rendered = render(entries);
    }
    return { entries, rendered };
}

function formatFor(format: string | undefined, out: string | undefined): AdoptFormat {
    const byName: AdoptFormat | undefined = out === undefined ? undefined : /\.csv$/i.test(out) ? "csv" : /\.ya?ml$/i.test(out) ? "yaml" : undefined;
    if (out !== undefined && byName === undefined) throw new UsageError(`--out must name a .yaml, .yml or .csv file (got "${out}")`);
    const chosen = format === undefined ? (byName ?? "yaml") : oneOf(format, ["yaml", "csv"] as const, "--format");
    if (byName !== undefined && byName !== chosen) throw new UsageError(`--format ${chosen} does not match --out "${out}"; name a .${chosen} file, or leave out --format`);
    return chosen;
}

/** Resolves the groups and apps, then reads their members and assignments; directory failures as an AdoptError. */
async function readDirectory(groupRefs: string[], appRefs: string[], includeMembers: boolean, io: Io) {
    let reads: GraphAdoptionReads;
    try {
        reads = new GraphAdoptionReads(graphClientFromEnvironment(io.env ?? process.env, { sleep: io.sleep, onWait: waitReporter(io) }));
    } catch (err) {
        throw new AdoptError([`cannot sign in to Microsoft Graph: ${(err as Error).message}`]);
    }
    try {
        const groups = await resolveGroups(groupRefs, reads);
        const apps = await resolveApps(appRefs, reads);
        const problems = [...groups.problems, ...apps.problems];
        if (problems.length > 0) throw new AdoptError([...problems, "nothing was written"]);
        const members = [];
        for (const group of groups.resolved) members.push({ group, members: await reads.memberUsers(group.id) });
        const assignments = [];
        for (const app of apps.resolved) assignments.push({ app, assignments: await reads.appRoleAssignedTo(app.principal.id) });
        return { collected: collectEntries(members, assignments, { includeMembers }), groups: groups.resolved, apps: apps.resolved, notes: groups.notes, identities: (addresses: string[]) => reads.identities(addresses) };
    } catch (err) {
        if (err instanceof GraphRequestError) throw new AdoptError([`${err.message}; nothing was written`]);
        if (err instanceof AdoptError) throw err;
        // A sign-in that fails when the first token is asked for (az login missing, a bad secret).
        throw new AdoptError([`cannot read the directory: ${(err as Error).message}; nothing was written`]);
    }
}

/**
 * The entries the project's rules refuse once the file is among the guest files: email -> the
 * reasons. A problem on no entry's lines is keyed "" (the caller refuses to write).
 */
async function refusedEntries(rendered: ReturnType<typeof renderAdopted>, sources: SourceFile[], settings: Parameters<typeof buildRoster>[1], shownOut: string, project: string, out: string): Promise<Map<string, string[]>> {
    const file = displayPath(out, project);
    const roster = buildRoster([...sources, { path: file, bytes: Buffer.from(rendered.text) }], settings);
    const offline = roster.errors.length === 0 ? (await buildPlan(roster.guests)).errors : [];
    const refused = new Map<string, string[]>();
    for (const p of [...roster.errors, ...offline]) {
        if (p.file !== file) continue;
        const email = [...rendered.lines].find(([, r]) => p.line !== undefined && p.line >= r.first && p.line <= r.last)?.[0] ?? "";
        refused.set(email, [...(refused.get(email) ?? []), p.message.replace(file, shownOut)]);
    }
    return refused;
}

/** Whether the stack's `guests` setting reads the file just written. */
async function readByStack(paths: string[], project: string, out: string): Promise<boolean> {
    const realOut = await fs.realpath(out).catch(() => out);
    const found = await findGuestFiles(paths, project, { allowMissing: true, within: project }).catch(() => ({ files: [] as string[] }));
    for (const f of found.files) if ((await fs.realpath(f).catch(() => f)) === realOut) return true;
    return false;
}

import { promises as fs } from "fs";
import * as path from "path";
import { buildRoster, DEFAULT_REDIRECT_URL, Problem, Roster, RosterOptions } from "../../roster";

/** The repository root, from the compiled test folder (dist/test/helpers). */
export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const FIXTURES = path.join(ROOT, "test", "fixtures");

/** A fixed "today", so that expiry in fixtures never depends on the day the suite runs. */
export const AS_OF = "2026-11-22";
export const OPTIONS: RosterOptions = { defaultRedirectUrl: DEFAULT_REDIRECT_URL, asOf: AS_OF };

/** Builds a roster from in-memory files: { "guests/a.csv": "email\n..." }. */
export function rosterOf(files: Record<string, string | Uint8Array>, options: RosterOptions = OPTIONS): Roster {
    return buildRoster(
        Object.entries(files).map(([p, content]) => ({ path: p, bytes: typeof content === "string" ? Buffer.from(content, "utf8") : content })),
        options,
    );
}

/** Builds a roster from fixture files, shown by their names relative to test/fixtures. */
export async function rosterOfFixtures(names: string[], options: RosterOptions = OPTIONS): Promise<Roster> {
    const files: Record<string, Uint8Array> = {};
    for (const name of names) files[name] = await fs.readFile(path.join(FIXTURES, name));
    return rosterOf(files, options);
}

/** Problems as the text CLI prints them, for exact assertions. */
export function lines(problems: Problem[]): string[] {
    return problems.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ""}${p.column !== undefined ? `:${p.column}` : ""}: ${p.message}`);
}

import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { displayPath, pathSpec, relativeTo, SourceFile } from "../roster";
import { FOLDER_GUEST_FILE, guestTextProblem } from "../roster/load";

const run = promisify(execFile);

/** A git ref that does not name a commit, or a folder that is not in a git repository. */
export class GitError extends Error {}

async function git(cwd: string, args: string[], binary = false): Promise<string | Buffer> {
    try {
        const { stdout } = await run("git", ["-C", cwd, ...args], { encoding: binary ? "buffer" : "utf8", maxBuffer: 512 * 1024 * 1024 });
        return stdout;
    } catch (err) {
        const stderr = String((err as { stderr?: unknown }).stderr ?? "").trim().split("\n")[0];
        throw new GitError(stderr || (err as Error).message);
    }
}

/**
 * The guest files under `paths` as they are at `ref`, read through git (no checkout): the same
 * selection a folder walk makes in the working tree, shown with the same paths. A path that
 * did not exist yet at `ref` reads as no files.
 */
export async function sourcesAtRef(ref: string, paths: string[], cwd: string): Promise<SourceFile[]> {
    const top = String(await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
    try {
        await git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    } catch {
        throw new GitError(`"${ref}" is not a commit in this repository; fetch it first (in CI: actions/checkout with fetch-depth: 0)`);
    }
    const wanted = paths.map((p) => pathSpec(p, cwd));
    const specs = wanted.map((w) => relativeTo(top, w.base) || ".");
    const listed = String(await git(top, ["ls-tree", "-r", "-z", "--name-only", ref, "--", ...specs]));
    const selected = (f: string) => {
        const walked = FOLDER_GUEST_FILE.test(f) && !f.split("/").some((part) => part.startsWith(".") || part === "node_modules");
        const abs = path.join(top, f);
        return wanted.some((w) => (w.matches ? walked && w.matches(relativeTo(cwd, abs)) : specs.includes(f) ? true : walked && abs.startsWith(w.base + path.sep)));
    };
    const files = listed
        .split("\0")
        .filter((f) => f !== "" && selected(f))
        .sort();
    const sources = await Promise.all(
        files.map(async (f) => ({
            path: displayPath(path.join(top, f), cwd),
            bytes: (await git(top, ["cat-file", "blob", `${ref}:${f}`], true)) as Buffer,
        })),
    );
    // As in a folder walk: a .txt found in a folder is read only when it starts with a guest header.
    return sources.filter((s, i) => specs.includes(files[i]) || !/\.txt$/i.test(files[i]) || guestTextProblem(s.bytes, path.basename(files[i])) === undefined);
}

import { execFile, spawn } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { BUILDS, ENGINE, GoBuild, moduleDir } from "./versions";

const run = promisify(execFile);

export interface Engine {
    /** A folder with bin/pulumi and bin/pulumi-language-nodejs: the Automation API's `root`. */
    root: string;
    bin: string;
    pulumi: string;
    /** What `pulumi version` printed. */
    version: string;
    /** "path": a suitable pulumi already installed; "cache": built before; "built": built now. */
    source: "path" | "cache" | "built";
}

export type Log = (line: string) => void;

/** An engine failure that names the step and the fix; printed without a stack trace. */
export class EngineError extends Error {}

/**
 * The Pulumi engine for the engine tier and `npm run sim`: a pulumi >= ENGINE.pulumi already on
 * PATH (with its language host beside it), else the cached build, else a build from the pinned
 * Go modules into the cache (minutes when cold). Only the Go module proxy is contacted.
 */
export async function ensureEngine(log: Log = (l) => process.stderr.write(`${l}\n`)): Promise<Engine> {
    const installed = await onPath();
    if (installed) return installed;
    const dir = cacheDir();
    const cached = await usable(dir, "cache");
    if (cached) return cached;
    await build(dir, log);
    const built = await usable(dir, "built");
    if (!built) throw new EngineError(`the engine built into ${dir} does not report v${ENGINE.pulumi}; delete the folder and run again`);
    return built;
}

/**
 * ENTRA_GUESTS_ENGINE_CACHE, else $XDG_CACHE_HOME or ~/.cache: outside the work tree, shared by
 * clones. The folder name carries the versions and a digest of the pinned module graphs, so a
 * change of pin builds anew instead of reusing a stale engine.
 */
export function cacheDir(): string {
    const base = process.env.ENTRA_GUESTS_ENGINE_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "entra-guests", "engine");
    const digest = createHash("sha256");
    for (const b of BUILDS) for (const f of ["go.mod", "go.sum"]) digest.update(readFileSync(path.join(moduleDir(b), f)));
    return path.join(base, `pulumi-v${ENGINE.pulumi}-nodejs-v${ENGINE.languageHost}-${digest.digest("hex").slice(0, 12)}`);
}

async function onPath(): Promise<Engine | undefined> {
    if (process.env.ENTRA_GUESTS_ENGINE_IGNORE_PATH) return undefined;
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, "pulumi");
        if (!dir || !existsSync(candidate)) continue;
        const real = realpathSync(candidate);
        // The CLI looks for its language host next to itself; the Automation API wants root/bin/pulumi.
        if (path.basename(path.dirname(real)) !== "bin" || !existsSync(path.join(path.dirname(real), "pulumi-language-nodejs"))) return undefined;
        const version = await versionOf(real);
        return version && atLeast(version, ENGINE.pulumi) ? engineAt(path.dirname(path.dirname(real)), version, "path") : undefined;
    }
    return undefined;
}

async function usable(root: string, source: Engine["source"]): Promise<Engine | undefined> {
    if (!BUILDS.every((b) => existsSync(path.join(root, "bin", b.binary)))) return undefined;
    const version = await versionOf(path.join(root, "bin", "pulumi"));
    return version === `v${ENGINE.pulumi}` ? engineAt(root, version, source) : undefined;
}

function engineAt(root: string, version: string, source: Engine["source"]): Engine {
    return { root, bin: path.join(root, "bin"), pulumi: path.join(root, "bin", "pulumi"), version, source };
}

async function versionOf(pulumi: string): Promise<string | undefined> {
    try {
        const { stdout } = await run(pulumi, ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 30_000 });
        return stdout.trim();
    } catch {
        return undefined;
    }
}

export function atLeast(version: string, minimum: string): boolean {
    const parse = (v: string) => v.replace(/^v/, "").split(/[.+-]/).slice(0, 3).map(Number);
    const [a, b] = [parse(version), parse(minimum)];
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
    return true;
}

async function build(dir: string, log: Log): Promise<void> {
    const go = await goVersion();
    const started = Date.now();
    log(`[engine] no pulumi >= ${ENGINE.pulumi} on PATH and no cached build: building it with ${go} into ${dir}`);
    log("[engine] a cold build downloads about 330 Go modules and compiles them: several minutes; later runs reuse it");
    // Build beside the final folder, then rename: a build cut short never looks usable.
    const staging = `${dir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(path.join(staging, "bin"), { recursive: true });
    try {
        for (const [i, b] of BUILDS.entries()) await goBuild(b, path.join(staging, "bin", b.binary), `${i + 1}/${BUILDS.length}`, log);
        rmSync(dir, { recursive: true, force: true });
        renameSync(staging, dir);
    } finally {
        rmSync(staging, { recursive: true, force: true });
    }
    log(`[engine] ready in ${elapsed(started)}: ${dir}/bin`);
}

async function goVersion(): Promise<string> {
    try {
        const { stdout } = await run("go", ["version"]);
        return stdout.trim().split(" ")[2] ?? "go";
    } catch {
        throw new EngineError(
            `step 0 (find Go) failed: \`go\` is not on PATH. Install Go 1.25 or newer, or put a pulumi CLI >= ${ENGINE.pulumi} with its pulumi-language-nodejs on PATH`,
        );
    }
}

function goBuild(b: GoBuild, out: string, step: string, log: Log): Promise<void> {
    const started = Date.now();
    log(`[engine] step ${step}: go build ${b.pkg} (${b.label})`);
    const ticker = setInterval(() => log(`[engine] step ${step}: still building ${b.label}, ${elapsed(started)} so far`), 30_000);
    const args = ["build", "-trimpath", "-tags", "osusergo", "-ldflags", `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${b.version}`, "-o", out, b.pkg];
    const env = { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly -buildvcs=false" };
    return new Promise((resolve, reject) => {
        const child = spawn("go", args, { cwd: moduleDir(b), env, stdio: ["ignore", "inherit", "pipe"] });
        let tail = "";
        child.stderr.on("data", (chunk: Buffer) => {
            process.stderr.write(chunk);
            tail = (tail + chunk.toString()).slice(-4000);
        });
        child.on("error", (err) => finish(err.message));
        child.on("close", (code) => finish(code === 0 ? undefined : `exit code ${code}`));
        function finish(failure: string | undefined) {
            clearInterval(ticker);
            if (failure === undefined) {
                log(`[engine] step ${step}: built ${b.label} in ${elapsed(started)}`);
                return resolve();
            }
            reject(new EngineError(`step ${step} (go build of the ${b.label}) failed after ${elapsed(started)} with ${failure}. ${fixFor(tail)}`));
        }
    });
}

/** The likely fix, from what go printed. */
function fixFor(stderr: string): string {
    if (/403|404|410|not available|dial tcp|no such host|connection refused|i\/o timeout/.test(stderr)) {
        return "The Go module proxy refused or could not be reached: check GOPROXY and the network (`go env GOPROXY`), then run again";
    }
    if (/requires go >=|go\.mod requires go|toolchain/.test(stderr)) return "This Go is too old for the pinned modules: install Go 1.25 or newer";
    if (/no space left/.test(stderr)) return "The disk is full: the module and build caches need about 4 GB (`go env GOMODCACHE GOCACHE`)";
    if (/checksum mismatch|SECURITY ERROR/.test(stderr)) return "A module does not match tools/engine/go/*/go.sum: do not edit go.sum by hand; check the proxy";
    return "See go's output above; run `npm run engine` again to retry";
}

function elapsed(since: number): string {
    const s = Math.round((Date.now() - since) / 1000);
    return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

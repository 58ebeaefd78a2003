// The pull request workflow's diff step posts a comment whatever `entra-guests diff`
// exits with, and its verdict says what the code means. The script runs here as in the workflow,
// with a stand-in CLI replaying one fixture per exit code (test/fixtures/diff-gate/exit-N).
import { strict as assert } from "assert";
import { execFile } from "child_process";
import { promises as fs } from "fs";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";
import { tempProjects } from "./helpers/cli";
import { FIXTURES, ROOT } from "./helpers/roster";

const SCRIPT = path.join(ROOT, ".github", "scripts", "diff-gate.sh");
const FAKE = path.join(FIXTURES, "diff-gate", "fake-entra-guests.sh");

interface Gate {
    code: number;
    stdout: string;
    /** Files the step leaves in its folder, and what it wrote for the runner. */
    files: Record<string, string | undefined>;
}

async function read(file: string): Promise<string | undefined> {
    return fs.readFile(file, "utf8").catch(() => undefined);
}

describe("the pull request workflow's diff gate", () => {
    const project = tempProjects();

    /** Runs `diff-gate.sh run` then `verdict` with the fixture of `exitCode`, as the workflow does. */
    async function gate(exitCode: number, env: Record<string, string> = {}): Promise<{ run: Gate; verdict: Gate }> {
        const dir = await project({ "summary.md": "", "output.txt": "" });
        const vars = {
            PATH: process.env.PATH ?? "",
            BASE_REF: "origin/main",
            STACK: "dev",
            MAX_REMOVALS: "10",
            ARTIFACT: "entra-guests-diff-dev",
            ENTRA_GUESTS: `bash ${FAKE}`,
            FAKE_FIXTURE: path.join(FIXTURES, "diff-gate", `exit-${exitCode}`),
            FAKE_LOG: path.join(dir, "args.log"),
            GITHUB_OUTPUT: path.join(dir, "output.txt"),
            GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
            ...env,
        };
        const exec = async (...args: string[]): Promise<Gate> => {
            let code = 0;
            let stdout = "";
            try {
                stdout = (await promisify(execFile)("bash", [SCRIPT, ...args], { cwd: dir, env: vars })).stdout;
            } catch (err) {
                const e = err as { code: number; stdout: string };
                [code, stdout] = [e.code, e.stdout];
            }
            const files: Gate["files"] = {};
            for (const f of ["diff.md", "diff-full.md", "summary.md", "output.txt", "args.log"]) files[f] = await read(path.join(dir, f));
            return { code, stdout, files };
        };
        const run = await exec("run");
        const verdict = await exec("verdict", /^code=(\d+)\n$/.exec(run.files["output.txt"] ?? "")?.[1] ?? "missing");
        return { run, verdict };
    }

    const fixture = (code: number, file: string) => fs.readFile(path.join(FIXTURES, "diff-gate", `exit-${code}`, file), "utf8");
    const CALLS = [
        "diff --base origin/main --stack dev --format markdown --max-removals 10 --max-bytes 60000 --output-full diff-full.md --rest-in the job summary and the workflow artifact entra-guests-diff-dev",
        "diff --base origin/main --stack dev --format markdown --max-removals 10 --max-bytes 1000000 --rest-in the workflow artifact entra-guests-diff-dev",
    ];

    it("exit 0: the comment, the full diff and the job summary are the diff's; the check passes", async () => {
        const { run, verdict } = await gate(0);
        const diff = await fixture(0, "stdout.md");
        assert.deepEqual([run.code, run.files["output.txt"], run.files["args.log"]], [0, "code=0\n", CALLS.join("\n") + "\n"]);
        assert.deepEqual([run.files["diff.md"], run.files["diff-full.md"], run.files["summary.md"]], [diff, diff, diff]);
        assert.deepEqual([verdict.code, verdict.stdout], [0, ""]);
    });

    it("exit 1: the errors are commented; the check fails saying the guest files have errors", async () => {
        const { run, verdict } = await gate(1);
        assert.deepEqual([run.code, run.files["output.txt"], run.files["diff.md"]], [0, "code=1\n", await fixture(1, "stdout.md")]);
        assert.deepEqual([verdict.code, verdict.stdout], [1, "::error title=Guest files have errors::entra-guests diff exited 1: the guest files have errors; fix the ones shown on the files' lines and in the PR comment, then push\n"]);
    });

    it("exit 2: the comment says the diff could not run and why, without the usage text", async () => {
        const { run, verdict } = await gate(2);
        const comment = [
            "<!-- entra-guests diff -->",
            "**entra-guests diff could not compare the guest files** (exit 2: a usage or stack settings error, or a base branch that is not fetched):",
            "",
            "```",
            'entra-guests: --base: "origin/main" is not a commit in this repository; fetch it first (in CI: actions/checkout with fetch-depth: 0)',
            "```",
            "",
        ].join("\n");
        assert.deepEqual([run.code, run.files["output.txt"], run.files["diff.md"], run.files["diff-full.md"], run.files["summary.md"]], [0, "code=2\n", comment, comment, comment]);
        assert.equal(run.files["args.log"], CALLS[0] + "\n", "no second run for the job summary");
        assert.deepEqual([verdict.code, verdict.stdout], [
            1,
            '::error title=Diff could not run::entra-guests diff exited 2 (a usage or stack settings error, or a base branch that is not fetched): entra-guests: --base: "origin/main" is not a commit in this repository; fetch it first (in CI: actions/checkout with fetch-depth: 0)\n',
        ]);
    });

    it("exit 3: the check fails asking for a reviewer and the approved-removals label", async () => {
        const { run, verdict } = await gate(3);
        assert.deepEqual([run.files["output.txt"], run.files["diff.md"], run.files["summary.md"]], ["code=3\n", await fixture(3, "stdout.md"), await fixture(3, "stdout.md")]);
        assert.deepEqual([verdict.code, verdict.stdout], [
            1,
            "::error title=Too many removals::entra-guests diff exited 3: more guests would be removed than MAX_REMOVALS (10) allows; a reviewer checks each removal in the PR comment, then adds the label approved-removals, which runs this check again\n",
        ]);
    });

    it("exit 3 with the approved-removals label: the comment says so and the check passes", async () => {
        const { run, verdict } = await gate(3, { APPROVED: "true" });
        const approved = "\n✅ The label `approved-removals` is set: a reviewer confirmed these removals.\n";
        assert.equal(run.files["diff.md"], (await fixture(3, "stdout.md")) + approved);
        assert.deepEqual([verdict.code, verdict.stdout], [
            0,
            "::notice title=Removals approved::entra-guests diff exited 3: more guests would be removed than MAX_REMOVALS (10) allows, and the label approved-removals says a reviewer confirmed them\n",
        ]);
    });

    it("any other exit (a crash, a missing command) is reported as such, never as too many removals", async () => {
        const { run, verdict } = await gate(134);
        assert.equal(run.files["output.txt"], "code=134\n");
        assert.equal(run.files["diff.md"]?.split("\n").slice(1, 6).join("\n"), [
            "**entra-guests diff could not compare the guest files** (exit 134: not an exit code entra-guests documents (0 ok, 1 invalid files, 2 usage or bad ref, 3 too many removals)):",
            "",
            "````",
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory ```",
            "````",
        ].join("\n"));
        assert.equal(verdict.code, 1);
        assert.match(verdict.stdout, /^::error title=Diff failed::entra-guests diff exited 134, not an exit code entra-guests documents .*: FATAL ERROR: Reached heap limit/);
        const missing = await gate(0, { ENTRA_GUESTS: "/nonexistent/entra-guests" });
        assert.equal(missing.run.files["output.txt"], "code=127\n");
        assert.match(missing.verdict.stdout, /^::error title=Diff failed::entra-guests diff exited 127, not an exit code entra-guests documents .*: .*\/nonexistent\/entra-guests: No such file or directory\n$/);
    });

    it("the workflow runs the gate, uploads the full diff, comments before the verdict, and re-runs on label changes", async () => {
        const workflow = parse(await fs.readFile(path.join(ROOT, ".github", "workflows", "pull-request.yml"), "utf8"));
        assert.deepEqual(workflow.on.pull_request.types, ["opened", "synchronize", "reopened", "labeled", "unlabeled"]);
        type Step = { id?: string; name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
        const steps: Step[] = workflow.jobs.review.steps;
        const at = (find: (s: Step) => boolean) => steps.findIndex(find);
        const diff = at((s) => s.run === "bash .github/scripts/diff-gate.sh run");
        const upload = at((s) => s.uses === "actions/upload-artifact@v4");
        const comment = at((s) => s.uses === "actions/github-script@v7");
        const verdict = at((s) => s.run === 'bash .github/scripts/diff-gate.sh verdict "$CODE"');
        const preview = at((s) => s.uses === "pulumi/actions@v6");
        assert.ok(diff > 0 && diff < upload && upload < comment && comment < verdict && verdict < preview, JSON.stringify([diff, upload, comment, verdict, preview]));
        assert.equal(steps[diff].id, "diff");
        assert.deepEqual(steps[upload].with, { name: "entra-guests-diff-${{ matrix.stack }}", path: "diff-full.md", "if-no-files-found": "error" });
        assert.equal(steps[diff].env?.ARTIFACT, "entra-guests-diff-${{ matrix.stack }}");
        assert.equal(steps[diff].env?.APPROVED, "${{ contains(github.event.pull_request.labels.*.name, 'approved-removals') }}");
        assert.equal(steps[verdict].env?.CODE, "${{ steps.diff.outputs.code }}");
        // The comment posts even when validate failed; the verdict and preview need the diff step.
        for (const i of [diff, upload, comment, verdict]) assert.match(String(steps[i].if), /^\$\{\{ !cancelled\(\) && steps\.(install|diff)\.outcome == 'success' \}\}$/, String(steps[i].name));
        assert.equal(steps[preview].if, undefined, "preview runs only when every step before it passed");
        assert.match(String(steps[comment].with?.script), /updateComment/);
    });
});

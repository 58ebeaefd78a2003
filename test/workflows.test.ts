import { strict as assert } from "assert";
import { execFile } from "child_process";
import { promises as fs } from "fs";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";
import { tempProject } from "./helpers/cli";
import { ROOT } from "./helpers/roster";

const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const VALIDATOR = path.join(ROOT, "node_modules", "@action-validator", "cli", "cli.mjs");

/** Runs action-validator (GitHub's workflow schema, from npm) on one file. */
async function validate(file: string): Promise<{ code: number; output: string }> {
    try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [VALIDATOR, file]);
        return { code: 0, output: stdout + stderr };
    } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

type Step = { id?: string; if?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { steps: Step[]; concurrency?: { group: string; "cancel-in-progress": boolean }; env?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };

async function load(name: string): Promise<{ text: string; workflow: Workflow }> {
    const text = await fs.readFile(path.join(WORKFLOWS, name), "utf8");
    return { text, workflow: parse(text) as Workflow };
}

describe("GitHub workflows", () => {
    it("pass the workflow schema check, which does fail on a broken file", async () => {
        const files = (await fs.readdir(WORKFLOWS)).filter((f) => f.endsWith(".yml")).sort();
        assert.deepEqual(files, ["deploy.yml", "pull-request.yml", "schedule.yml", "status.yml"]);
        for (const f of files) {
            const result = await validate(path.join(WORKFLOWS, f));
            assert.equal(result.code, 0, `${f}: ${result.output}`);
        }
        const dir = await tempProject({ "broken.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n" });
        try {
            const broken = await validate(path.join(dir, "broken.yml"));
            assert.equal(broken.code, 1);
            assert.match(broken.output, /Additional property 'stepz' is not allowed/);
        } finally {
            await fs.rm(dir, { recursive: true, force: true });
        }
    });

    it("post the weekly guest status to the job summary, signed in to Azure with OIDC like the schedule", async () => {
        const { workflow } = await load("status.yml");
        assert.deepEqual(Object.keys(workflow.on).sort(), ["schedule", "workflow_dispatch"]);
        assert.deepEqual(workflow.on.schedule, [{ cron: "23 6 * * 1" }]);
        assert.deepEqual(workflow.permissions, { contents: "read", "id-token": "write" });
        const env = workflow.jobs.status.env ?? {};
        assert.equal(env.ARM_USE_OIDC, "true");
        assert.equal(env.ARM_TENANT_ID, "${{ vars.ARM_TENANT_ID }}");
        assert.match(env.ARM_CLIENT_ID, /vars\.ARM_CLIENT_ID/);
        const run = workflow.jobs.status.steps.map((s) => s.run ?? "").join("\n");
        assert.match(run, /npx entra-guests status --format markdown --stack "\$STACK" > status\.md/);
        assert.match(run, />> "\$GITHUB_STEP_SUMMARY"/);
        assert.match(run, /exit "\$code"/);
    });

    // deploy.yml and schedule.yml also serve a self-managed backend, whose passphrase is a
    // secret: test/first-deployment.test.ts checks them.
    it("review pull requests: validate with annotations, diff as an updated comment, preview", async () => {
        const { workflow } = await load("pull-request.yml");
        const steps = workflow.jobs.review.steps;
        const runs = steps.map((s) => s.run ?? "").join("\n");
        assert.match(runs, /npx entra-guests validate --stack "\$\{\{ matrix.stack \}\}" --format github/);
        // The diff runs in a script a test can run per exit code (test/diff-gate.test.ts).
        assert.match(runs, /^bash \.github\/scripts\/diff-gate\.sh run$/m);
        const gate = await fs.readFile(path.join(ROOT, ".github", "scripts", "diff-gate.sh"), "utf8");
        assert.match(gate, /args=\(diff --base "\$BASE_REF" --stack "\$STACK" --format markdown --max-removals "\$MAX_REMOVALS"\)/);
        const comment = steps.find((s) => s.uses === "actions/github-script@v7");
        assert.match(String(comment?.with?.script), /updateComment/, "an existing comment is updated, not duplicated");
        const preview = steps.find((s) => s.uses === "pulumi/actions@v6");
        assert.deepEqual([preview?.with?.command, preview?.with?.["comment-on-pr"]], ["preview", true]);
        assert.equal(steps[0].with?.["fetch-depth"], 0);
    });

    it("deploy on push to main and daily, never two runs of one stack at once", async () => {
        const deploy = (await load("deploy.yml")).workflow;
        const schedule = (await load("schedule.yml")).workflow;
        assert.deepEqual(deploy.on.push, { branches: ["main"] });
        assert.ok("schedule" in schedule.on && "workflow_dispatch" in schedule.on);
        for (const job of [...Object.values(deploy.jobs), ...Object.values(schedule.jobs)]) {
            assert.deepEqual(job.concurrency, { group: "pulumi-${{ matrix.stack }}", "cancel-in-progress": false });
        }
        const steps = Object.values(schedule.jobs)[0].steps.filter((s) => s.uses === "pulumi/actions@v6");
        const commands = steps.map((s) => [s.with?.command, s.with?.["expect-no-changes"]]);
        assert.deepEqual(commands, [["refresh", undefined], ["up", undefined], ["up", undefined], ["preview", true]]);
        // The second up runs only when the first left repairs pending (stack output pendingRepairs).
        assert.deepEqual([steps[1].id, steps[2].if], ["up", "steps.up.outputs.pendingRepairs != '' && steps.up.outputs.pendingRepairs != '[]'"]);
        // A failed deploy is tried once more with --refresh, which reads back what an earlier run created but did not record.
        const deploySteps = Object.values(deploy.jobs)[0].steps.filter((s) => s.uses === "pulumi/actions@v6");
        assert.deepEqual(
            deploySteps.map((s) => [s.id, s.if, s.with?.command, s.with?.refresh]),
            [
                ["up", undefined, "up", undefined],
                [undefined, "failure() && steps.up.outcome == 'failure'", "up", true],
            ],
        );
    });
});

import { strict as assert } from "assert";
import { execFile } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";
import { runCli, tempProjects } from "./helpers/cli";
import { DirectoryFixture, isGuestResource, runProgram } from "./helpers/pulumi";
import { AS_OF, ROOT } from "./helpers/roster";

const ZERO = "00000000-0000-0000-0000-000000000000";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const GUESTS = { "guests/a.csv": "email\nann@fabrikam.com\n" };
// The zero-GUID refusal, after its source (a stack file, or the running stack).
const PLACEHOLDER =
    `config \`azuread:tenantId\` is the placeholder tenant, which would win over ARM_TENANT_ID (got "${ZERO}"); ` +
    "set your tenant's ID with `pulumi config set azuread:tenantId <tenant-id>` (`az account show --query tenantId -o tsv` prints it), " +
    "or remove it with `pulumi config rm azuread:tenantId` to use ARM_TENANT_ID";
const NO_DIRECTORY: DirectoryFixture = { groups: {}, servicePrincipals: [] };
const pulumiYaml = () => fs.readFile(path.join(ROOT, "Pulumi.yaml"), "utf8");

describe("first deployment: no placeholder tenant", () => {
    const project = tempProjects();

    it("the shipped Pulumi.dev.yaml sets no azuread:tenantId, and validate --stack dev passes on it", async () => {
        const stack = parse(await fs.readFile(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
        assert.equal("azuread:tenantId" in stack.config, false);
        const run = await runCli(["validate", "--stack", "dev", "--as-of", AS_OF], ROOT);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
    });

    it("validate --stack refuses the zero GUID tenant, with the command that sets the real one", async () => {
        const dir = await project({ ...GUESTS, "Pulumi.yaml": await pulumiYaml(), "Pulumi.dev.yaml": `config:\n  azuread:tenantId: ${ZERO}\n` });
        const run = await runCli(["validate", "--stack", "dev"], dir);
        assert.deepEqual([run.code, run.stdout, run.stderr], [2, "", `Pulumi.dev.yaml: ${PLACEHOLDER}\n`]);
    });

    it("validate --stack accepts a real tenant ID", async () => {
        const dir = await project({ ...GUESTS, "Pulumi.yaml": await pulumiYaml(), "Pulumi.dev.yaml": `config:\n  azuread:tenantId: ${TENANT}\n` });
        const run = await runCli(["validate", "--stack", "dev"], dir);
        assert.deepEqual([run.code, run.stdout, run.stderr], [0, "guests/a.csv: 0 of 1 guest mailed when invited (1 not, by default: no sendEmail value and no message)\n1 guest in 1 file valid\n", ""]);
    });

    it("the program refuses the zero GUID tenant before it registers anything or looks anything up", async () => {
        const dir = await project(GUESTS);
        const run = await runProgram({ guests: [path.join(dir, "guests")], "azuread:tenantId": ZERO }, NO_DIRECTORY);
        assert.equal(run.error?.message, `stack test: ${PLACEHOLDER}`);
        assert.deepEqual([run.resources.filter((r) => isGuestResource(r.type)), run.calls], [[], []]);
    });

    it("the program runs with a real tenant ID", async () => {
        const dir = await project(GUESTS);
        const run = await runProgram({ guests: [path.join(dir, "guests")], "azuread:tenantId": TENANT }, NO_DIRECTORY);
        assert.equal(run.error, undefined);
        assert.deepEqual(run.resources.filter((r) => r.type === "entraguests:index:GuestUser").map((r) => r.name), ["guests/ann@fabrikam.com"]);
    });
});

describe("list settings: what Pulumi refuses, validate --stack refuses", () => {
    const project = tempProjects();
    const validate = async (stackFile: string) => {
        const dir = await project({ ...GUESTS, "Pulumi.yaml": await pulumiYaml(), "Pulumi.dev.yaml": stackFile });
        return runCli(["validate", "--stack", "dev"], dir);
    };

    it("refuses a list stored as text by `pulumi config set`, with the commands that store a list", async () => {
        const run = await validate("config:\n  entra-guests:allowedDomains: gmail.com, outlook.com\n");
        assert.deepEqual([run.code, run.stdout], [2, ""]);
        assert.equal(
            run.stderr,
            'Pulumi.dev.yaml: config `entra-guests:allowedDomains` is text where Pulumi.yaml declares a list, which Pulumi refuses (got "gmail.com, outlook.com"); ' +
                "store a list: `pulumi config set --path 'entra-guests:allowedDomains[0]' gmail.com`, `pulumi config set --path 'entra-guests:allowedDomains[1]' outlook.com`, " +
                'or write `entra-guests:allowedDomains: ["gmail.com", "outlook.com"]` in Pulumi.dev.yaml\n',
        );
    });

    it("refuses every list key stored as text at once, JSON text too, quoting what the shell would expand", async () => {
        const run = await validate(
            ["config:", "  entra-guests:guests: guests", `  entra-guests:blockedDomains: '["*.example.net","example.org"]'`, "  entra-guests:defaultRedirectUrl: portal", ""].join("\n"),
        );
        assert.equal(run.code, 2);
        assert.deepEqual(run.stderr.split("\n"), [
            'Pulumi.dev.yaml: config `entra-guests:guests` is text where Pulumi.yaml declares a list, which Pulumi refuses (got "guests"); ' +
                "store a list: `pulumi config set --path 'entra-guests:guests[0]' guests`, " +
                'or write `entra-guests:guests: ["guests"]` in Pulumi.dev.yaml',
            'Pulumi.dev.yaml: config `entra-guests:blockedDomains` is text where Pulumi.yaml declares a list, which Pulumi refuses (got "[\\"*.example.net\\",\\"example.org\\"]"); ' +
                "store a list: `pulumi config set --path 'entra-guests:blockedDomains[0]' '*.example.net'`, `pulumi config set --path 'entra-guests:blockedDomains[1]' example.org`, " +
                'or write `entra-guests:blockedDomains: ["*.example.net", "example.org"]` in Pulumi.dev.yaml',
            'Pulumi.dev.yaml: config `entra-guests:defaultRedirectUrl` must be an absolute http(s) URL, like https://myapps.microsoft.com (got "portal"); set it with `pulumi config set entra-guests:defaultRedirectUrl <value>`',
            "",
        ]);
    });

    it("names the first three items of a long list and gives the rest in the YAML form", async () => {
        const run = await validate("config:\n  entra-guests:allowedDomains: a.example, b.example, c.example, d.example, e.example\n");
        assert.equal(
            run.stderr,
            'Pulumi.dev.yaml: config `entra-guests:allowedDomains` is text where Pulumi.yaml declares a list, which Pulumi refuses (got "a.example, b.example, c.example, d.example, e.example"); ' +
                "store a list: `pulumi config set --path 'entra-guests:allowedDomains[0]' a.example`, `pulumi config set --path 'entra-guests:allowedDomains[1]' b.example`, " +
                "`pulumi config set --path 'entra-guests:allowedDomains[2]' c.example` and so on to [4], " +
                'or write `entra-guests:allowedDomains: ["a.example", "b.example", "c.example", "d.example", "e.example"]` in Pulumi.dev.yaml\n',
        );
    });

    it("refuses an empty text value where a list is declared, giving the empty list", async () => {
        const run = await validate("config:\n  entra-guests:blockedDomains: ''\n");
        assert.equal(
            run.stderr,
            'Pulumi.dev.yaml: config `entra-guests:blockedDomains` is text where Pulumi.yaml declares a list, which Pulumi refuses (got ""); ' +
                "store a list: `pulumi config set --path 'entra-guests:blockedDomains[0]' <value>`, or write `entra-guests:blockedDomains: []` in Pulumi.dev.yaml\n",
        );
    });

    it("accepts the lists `pulumi config set --path` and the YAML form store", async () => {
        // What `pulumi config set --path 'entra-guests:allowedDomains[0]' gmail.com` writes (checked with pulumi 3.248).
        const run = await validate("config:\n  entra-guests:allowedDomains:\n    - fabrikam.com\n  entra-guests:blockedDomains: [gmail.com]\n  entra-guests:guests: [guests]\n");
        assert.deepEqual([run.code, run.stdout, run.stderr], [0, "guests/a.csv: 0 of 1 guest mailed when invited (1 not, by default: no sendEmail value and no message)\n1 guest in 1 file valid\n", ""]);
    });

    it("refuses the integers and booleans Pulumi's type check refuses: TRUE, True, 2.0, a padded number", async () => {
        const run = await validate(['config:', '  entra-guests:restrictToCatalog: "TRUE"', '  entra-guests:allowMemberInvites: "True"', '  entra-guests:maxRemovals: "2.0"', '  entra-guests:expiryWarningDays: " 7"', ""].join("\n"));
        assert.equal(run.code, 2);
        assert.deepEqual(run.stderr.split("\n"), [
            'Pulumi.dev.yaml: config `entra-guests:expiryWarningDays` must be a whole number of days (got " 7"); set it with `pulumi config set entra-guests:expiryWarningDays <value>`',
            'Pulumi.dev.yaml: config `entra-guests:restrictToCatalog` must be true or false (got "TRUE"); set it with `pulumi config set entra-guests:restrictToCatalog <value>`',
            'Pulumi.dev.yaml: config `entra-guests:allowMemberInvites` must be true or false (got "True"); set it with `pulumi config set entra-guests:allowMemberInvites <value>`',
            'Pulumi.dev.yaml: config `entra-guests:maxRemovals` must be a whole number (got "2.0"); set it with `pulumi config set entra-guests:maxRemovals <value>`',
            "",
        ]);
    });

    it("accepts what Pulumi stores for YAML numbers and booleans, and for `pulumi config set` of true and 25", async () => {
        const run = await validate(['config:', "  entra-guests:restrictToCatalog: true", '  entra-guests:allowMemberInvites: "false"', "  entra-guests:maxRemovals: 25", '  entra-guests:confirmRemovals: "12"', ""].join("\n"));
        assert.deepEqual([run.code, run.stderr], [0, ""]);
    });

    it("does not judge keys Pulumi.yaml declares no list for", async () => {
        const dir = await project({ ...GUESTS, "Pulumi.yaml": "name: entra-guests\nruntime: nodejs\n", "Pulumi.dev.yaml": "config:\n  entra-guests:allowedDomains: fabrikam.com\n" });
        const run = await runCli(["validate", "--stack", "dev"], dir);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
    });
});

describe("README and docs", () => {
    it("the operations page's first deployment goes login, stack init, settings, validate, preview, up, for both backends", async () => {
        const readme = await fs.readFile(path.join(ROOT, "docs", "operations.md"), "utf8");
        const section = readme.slice(readme.indexOf("## First deployment"), readme.indexOf("\n## ", readme.indexOf("## First deployment") + 1));
        const order = ["pulumi login", "pulumi stack init", "pulumi config set", "npx entra-guests validate --stack", "pulumi preview", "pulumi up"];
        let at = 0;
        for (const step of order) {
            const found = section.indexOf(step, at);
            assert.ok(found >= 0, `"${step}" after position ${at}`);
            at = found;
        }
        for (const text of ["file://", "s3://", "azblob://", "--secrets-provider passphrase", "npm run sim"]) assert.ok(section.includes(text), text);
    });

    it("docs/gitops.md recommends no --parallel above 8 for removals and never lowers to 8 for throttling", async () => {
        const gitops = await fs.readFile(path.join(ROOT, "docs", "gitops.md"), "utf8");
        assert.doesNotMatch(gitops, /lower the parallelism \(`pulumi up --parallel 8`\) to stay under Graph's write budget/);
        assert.match(gitops, /`--parallel 8` or less/);
    });
});

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { steps: Step[]; env?: Record<string, string> };
type Workflow = { permissions: Record<string, string>; jobs: Record<string, Job> };

/** Every workflow that runs pulumi: each serves both backend kinds. */
const DEPLOYING = ["deploy.yml", "schedule.yml", "pull-request.yml"];
const STACK_NAME = "${{ vars.PULUMI_BACKEND_URL && 'organization' || vars.PULUMI_ORG }}/entra-guests/${{ matrix.stack }}";
const STEP_SECRETS = { PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", AZURE_STORAGE_KEY: "${{ secrets.AZURE_STORAGE_KEY }}" };
const workflowText = (name: string) => fs.readFile(path.join(ROOT, ".github", "workflows", name), "utf8");
const job = async (name: string): Promise<Job> => Object.values((parse(await workflowText(name)) as Workflow).jobs)[0];
const CHECK = "Check the state backend settings";

const CHECK_SCRIPT = path.join(ROOT, ".github", "scripts", "check-backend.sh");

/** Runs the backend check script as the workflows do (`bash -e`), with only `env` set, in `cwd` (the checkout). */
async function check(env: Record<string, string>, cwd = ROOT): Promise<{ code: number; stdout: string }> {
    const base = { PULUMI_BACKEND_URL: "", PULUMI_ORG: "", AWS_ROLE_ARN: "", AWS_REGION: "", AZURE_STORAGE_ACCOUNT: "", AZURE_STORAGE_KEY: "", PULUMI_CONFIG_PASSPHRASE: "", STACK: "" };
    try {
        const { stdout } = await promisify(execFile)("bash", ["-e", CHECK_SCRIPT], { cwd, env: { PATH: process.env.PATH ?? "", ...base, ...env } });
        return { code: 0, stdout };
    } catch (err) {
        const e = err as { code?: number; stdout?: string };
        return { code: e.code ?? -1, stdout: e.stdout ?? "" };
    }
}

describe("workflows: Pulumi Cloud or a self-managed backend, chosen by repository variables", () => {
    it("every workflow gives its job the backend variables, and no secret to `npm ci`; pull requests use the read-only identity when there is one", async () => {
        for (const name of DEPLOYING) {
            assert.equal((parse(await workflowText(name)) as Workflow).permissions["id-token"], "write", name);
            assert.deepEqual((await job(name)).env, {
                ARM_USE_OIDC: "true",
                ARM_CLIENT_ID: name === "pull-request.yml" ? "${{ vars.ARM_CLIENT_ID_READ_ONLY || vars.ARM_CLIENT_ID }}" : "${{ vars.ARM_CLIENT_ID }}",
                ARM_TENANT_ID: "${{ vars.ARM_TENANT_ID }}",
                PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
                AWS_REGION: "${{ vars.AWS_REGION }}",
                AZURE_STORAGE_ACCOUNT: "${{ vars.AZURE_STORAGE_ACCOUNT }}",
            }, name);
        }
    });

    it("log in to Pulumi Cloud only without PULUMI_BACKEND_URL, assume the AWS role only for s3://, and pass the passphrase to every pulumi step", async () => {
        for (const name of DEPLOYING) {
            const steps = (await job(name)).steps;
            const login = steps.find((s) => s.uses === "pulumi/auth-actions@v1");
            assert.deepEqual([login?.if, login?.with?.organization], ["vars.PULUMI_BACKEND_URL == ''", "${{ vars.PULUMI_ORG }}"], name);
            const aws = steps.find((s) => s.uses === "aws-actions/configure-aws-credentials@v4");
            assert.deepEqual([aws?.if, aws?.with], ["startsWith(vars.PULUMI_BACKEND_URL, 's3://')", { "role-to-assume": "${{ vars.AWS_ROLE_ARN }}", "aws-region": "${{ vars.AWS_REGION }}" }], name);
            const pulumiSteps = steps.filter((s) => s.uses === "pulumi/actions@v6");
            assert.ok(pulumiSteps.length > 0);
            for (const s of pulumiSteps) assert.deepEqual([s.env, s.with?.["stack-name"]], [STEP_SECRETS, STACK_NAME], `${name}: ${s.name}`);
            const order = steps.map((s) => (s.name === CHECK ? "check" : s.uses === "pulumi/auth-actions@v1" ? "login" : s.uses === "pulumi/actions@v6" ? "pulumi" : "")).filter((s) => s !== "");
            assert.deepEqual(order.slice(0, 2), ["check", "login"], name);
        }
    });

    it("read secrets only in the steps that need them: the backend check and the pulumi steps", async () => {
        for (const name of DEPLOYING) {
            const text = await workflowText(name);
            assert.deepEqual([...new Set(text.match(/secrets\.\w+/g))].sort(), ["secrets.AZURE_STORAGE_KEY", "secrets.PULUMI_CONFIG_PASSPHRASE"], name);
            for (const s of (await job(name)).steps) {
                if (s.name !== CHECK && s.uses !== "pulumi/actions@v6") assert.doesNotMatch(JSON.stringify(s), /secrets\./, `${name}: ${s.name ?? s.uses ?? s.run}`);
            }
        }
    });

    it("run the one backend check script, before logging in, in every workflow", async () => {
        for (const name of DEPLOYING) {
            const step = (await job(name)).steps.find((s) => s.name === CHECK);
            assert.deepEqual(step?.run, "bash .github/scripts/check-backend.sh", name);
        }
    });

    it("run `pulumi up` with at most 8 operations at once unless PULUMI_PARALLEL says otherwise", async () => {
        for (const name of ["deploy.yml", "schedule.yml"]) {
            const ups = (await job(name)).steps.filter((s) => s.uses === "pulumi/actions@v6" && s.with?.command === "up");
            // schedule.yml: a second up finishes the repair of guests deleted outside the stack;
            // deploy.yml: a failed up is tried once more with --refresh.
            assert.deepEqual(ups.map((s) => s.with?.parallel), Array(2).fill("${{ vars.PULUMI_PARALLEL || 8 }}"), name);
        }
    });

    it("the backend check passes Pulumi Cloud with PULUMI_ORG, S3 with a role and region, Azure Blob with account and key", async () => {
        assert.deepEqual(await check({ PULUMI_ORG: "contoso" }), { code: 0, stdout: "" });
        assert.deepEqual(await check({ PULUMI_BACKEND_URL: "s3://contoso-pulumi-state", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/state", AWS_REGION: "eu-west-1", PULUMI_CONFIG_PASSPHRASE: "p" }), { code: 0, stdout: "" });
        assert.deepEqual(await check({ PULUMI_BACKEND_URL: "azblob://state", AZURE_STORAGE_ACCOUNT: "contosostate", AZURE_STORAGE_KEY: "k", PULUMI_CONFIG_PASSPHRASE: "p" }), { code: 0, stdout: "" });
    });

    it("the backend check fails with the fix when Pulumi Cloud has no organization", async () => {
        assert.deepEqual(await check({}), {
            code: 1,
            stdout: '::error::no state backend: the repository variable PULUMI_ORG is empty (got ""); set it to your Pulumi Cloud organization, or set PULUMI_BACKEND_URL to a self-managed backend\n',
        });
    });

    it("the backend check names every missing credential of a self-managed backend at once", async () => {
        assert.deepEqual(await check({ PULUMI_BACKEND_URL: "s3://contoso-pulumi-state" }), {
            code: 1,
            stdout:
                '::error::the variable AWS_ROLE_ARN is empty (got ""); set it to the IAM role GitHub\'s OIDC token may assume for the bucket of s3://contoso-pulumi-state\n' +
                '::error::the variable AWS_REGION is empty (got ""); set it to the region of the bucket of s3://contoso-pulumi-state\n' +
                '::error::the secret PULUMI_CONFIG_PASSPHRASE is empty (got ""); add the passphrase the stacks were created with (pulumi stack init --secrets-provider passphrase) as a repository secret\n',
        });
        assert.deepEqual(await check({ PULUMI_BACKEND_URL: "azblob://state", PULUMI_CONFIG_PASSPHRASE: "p" }), {
            code: 1,
            stdout:
                '::error::the variable AZURE_STORAGE_ACCOUNT is empty (got ""); set it to the storage account of azblob://state\n' +
                '::error::the secret AZURE_STORAGE_KEY is empty (got ""); add the storage account\'s access key as a repository secret\n',
        });
    });

    it("the backend check reads the stack's secrets provider: AWS KMS with an s3:// backend needs no passphrase, other key services are refused with the fix", async () => {
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), "check-backend-"));
        try {
            await fs.writeFile(path.join(dir, "Pulumi.prod.yaml"), "secretsprovider: awskms://alias/pulumi?region=eu-west-1\r\nconfig: {}\r\n");
            await fs.writeFile(path.join(dir, "Pulumi.vault.yaml"), 'secretsprovider: "azurekeyvault://contoso.vault.azure.net/keys/pulumi"\n');
            await fs.writeFile(path.join(dir, "Pulumi.dev.yaml"), "secretsprovider: passphrase\n");
            const s3 = { PULUMI_BACKEND_URL: "s3://state", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/state", AWS_REGION: "eu-west-1" };
            assert.deepEqual(await check({ ...s3, STACK: "prod" }, dir), { code: 0, stdout: "" });
            assert.deepEqual(await check({ ...s3, STACK: "dev" }, dir), {
                code: 1,
                stdout: '::error::the secret PULUMI_CONFIG_PASSPHRASE is empty (got ""); add the passphrase the stacks were created with (pulumi stack init --secrets-provider passphrase) as a repository secret\n',
            });
            // A stack without its own file, as `pulumi stack init` with the passphrase leaves it: the passphrase.
            assert.deepEqual((await check({ ...s3, STACK: "other" }, dir)).code, 1);
            assert.deepEqual(await check({ PULUMI_BACKEND_URL: "azblob://state", AZURE_STORAGE_ACCOUNT: "contosostate", AZURE_STORAGE_KEY: "k", STACK: "prod" }, dir), {
                code: 1,
                stdout: '::error::Pulumi.prod.yaml\'s secrets provider needs AWS credentials, which these workflows assume only for an s3:// backend (got "awskms://alias/pulumi?region=eu-west-1" with azblob://state); use an s3:// backend, or change the stack\'s secrets provider to passphrase (pulumi stack change-secrets-provider passphrase)\n',
            });
            assert.deepEqual(await check({ ...s3, STACK: "vault", PULUMI_CONFIG_PASSPHRASE: "p" }, dir), {
                code: 1,
                stdout: '::error::Pulumi.vault.yaml\'s secrets provider is not one these workflows give credentials to (got "azurekeyvault://contoso.vault.azure.net/keys/pulumi"); use passphrase, or awskms:// with an s3:// backend (pulumi stack change-secrets-provider passphrase)\n',
            });
        } finally {
            await fs.rm(dir, { recursive: true, force: true });
        }
    });

    it("the backend check refuses a file:// backend, whose state would be lost with the runner", async () => {
        assert.deepEqual(await check({ PULUMI_BACKEND_URL: "file://~", PULUMI_CONFIG_PASSPHRASE: "p" }), {
            code: 1,
            stdout: '::error::PULUMI_BACKEND_URL is not a backend these workflows can reach (got "file://~"); use s3://<bucket> or azblob://<container>, or leave it empty for Pulumi Cloud (a file:// state is lost with the runner)\n',
        });
    });

    it("docs/gitops.md names every variable and secret deploy and schedule read", async () => {
        const gitops = await fs.readFile(path.join(ROOT, "docs", "gitops.md"), "utf8");
        for (const name of DEPLOYING) {
            for (const [, kind, key] of (await workflowText(name)).matchAll(/(vars|secrets)\.(\w+)/g)) assert.ok(gitops.includes(`\`${key}\``), `${name}: ${kind}.${key}`);
        }
    });
});

// The real program, loaded the way Pulumi loads it (package.json "main", under the node
// arguments of Pulumi.yaml), run under mocks: `node <nodeargs> child-program.js <guests dir> <asOf>`.
import * as pulumi from "@pulumi/pulumi";
import { projectRoot } from "../../roster/read/project";
import { benchMocks } from "./mocks";

async function run(): Promise<void> {
    const [dir, asOf] = process.argv.slice(2);
    process.env.PULUMI_CONFIG = JSON.stringify({ "entra-guests:guests": JSON.stringify([dir]), "entra-guests:asOf": asOf });
    await pulumi.runtime.setMocks(benchMocks, "entra-guests", "bench", false, "organization");
    const root = projectRoot(__dirname);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(root) as () => Promise<Record<string, unknown>>;
    const outputs = await pulumi.runtime.runInPulumiStack(program);
    process.stdout.write(`guests: ${String(outputs?.guestCount)}\n`);
}

run().catch((err) => {
    process.stderr.write(`${String(err?.message ?? err)}\n`);
    process.exit(1);
});

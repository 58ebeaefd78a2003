// The engine suite's fixtures, loaded by .mocharc.engine.js. The engine is made ready once, in
// mocha's main process before any worker starts (a cold build takes minutes, and two workers
// building one cache at once would replace each other's binaries); each test file's temporary
// folders and simulated Graph servers go when the file ends, in the worker that ran it.
import { ensureEngine } from "../../tools/engine/ensure";
import { cleanUpEngineTests } from "./harness";

export async function mochaGlobalSetup(): Promise<void> {
    await ensureEngine((l) => process.stderr.write(`      ${l}\n`));
}

export const mochaHooks = {
    async afterAll(): Promise<void> {
        await cleanUpEngineTests();
    },
};

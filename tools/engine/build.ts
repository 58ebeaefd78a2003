// `npm run engine`: make sure the engine is there (building it when needed) and say where.
import { EngineError, ensureEngine } from "./ensure";

ensureEngine().then(
    (engine) => {
        process.stdout.write(`${engine.pulumi} ${engine.version} (${engine.source})\n`);
    },
    (err: unknown) => {
        process.stderr.write(`[engine] ${err instanceof EngineError ? err.message : String(err)}\n`);
        process.exit(1);
    },
);

// The engine suite: every test file drives the real pulumi CLI against the simulated tenant, each
// stack in folders of its own, so files run in parallel workers. ENTRA_GUESTS_ENGINE_JOBS sets how
// many (default 2, this project's CI machine's cores; 1 runs them one after another).
const jobs = Number(process.env.ENTRA_GUESTS_ENGINE_JOBS || 2);
module.exports = {
    spec: ["dist/test/engine/**/*.engine.js"],
    parallel: jobs > 1,
    jobs,
    timeout: 120000,
    slow: 20000,
    "forbid-only": true,
    "forbid-pending": true,
    require: ["dist/test/helpers/verify-sim.js", "dist/test/engine/setup.js"],
};

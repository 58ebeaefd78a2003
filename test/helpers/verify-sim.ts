// Loaded first by both mocha suites (.mocharc.json, .mocharc.engine.js): every simulated-tenant
// store in the tests, in process and in the provider plugins the engine starts (they inherit the
// environment), checks that the tenant changed only through committed changes, on a sample of
// each kind of request (tools/sim/tenant/store.ts). The benches leave it off: a checked request
// costs two serializations of the tenant.
process.env.ENTRA_GUESTS_SIM_VERIFY = "1";

// Loaded first by both mocha suites (.mocharc.json, .mocharc.engine.json): every simulated-tenant
// store in the tests, in process and in the provider plugins the engine starts (they inherit the
// environment), checks after each request that the tenant changed only through committed changes
// (tools/sim/tenant/store.ts). The benches leave it off: it costs two serializations a request.
process.env.ENTRA_GUESTS_SIM_VERIFY = "1";

// Root hooks of the engine suite: the engine is made ready once (a cold build takes minutes,
// hence the long timeout), and the suite's temporary folders go at the end.
import { cleanUpEngineTests, engineForTests } from "./harness";

before(async function () {
    this.timeout(30 * 60_000);
    await engineForTests();
});

after(() => cleanUpEngineTests());

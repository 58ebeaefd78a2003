// Preloaded (node -r) into every benchmarked process: reports its peak RSS, and the CPU time it
// used (user + system, all threads), when it exits.
"use strict";
process.on("exit", () => {
    const usage = process.resourceUsage();
    process.stderr.write(`\nBENCH_PEAK_RSS_KB ${usage.maxRSS}\nBENCH_CPU_US ${usage.userCPUTime + usage.systemCPUTime}\n`);
});

// Preloaded (node -r) into every benchmarked process: reports its peak RSS when it exits.
"use strict";
process.on("exit", () => {
    process.stderr.write(`\nBENCH_PEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`);
});

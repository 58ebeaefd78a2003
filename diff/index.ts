// Who gains and loses access between two versions of the guest files. No Pulumi here.
export { compareRosters, RosterDiff, INVITE_TIME_FIELDS } from "./compare";
export { GitError, sourcesAtRef } from "./git";
export { CutOptions, markdownLines } from "./markdown";
export { DiffFormat, DiffReport, Expiring, renderDiff, summaryLine } from "./render";

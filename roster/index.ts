// Guest declarations: files -> parsed rows -> a validated, normalised roster. No Pulumi here.
// The flow reads top-down: load.ts (paths on disk) -> read/ (CSV and YAML into rows with
// positions) -> build.ts (rows checked against rules/ into guests) -> problems.ts (every error
// and warning, located).
export { buildRoster, DEFAULT_REDIRECT_URL, FileSummary, Roster, RosterOptions, SourceFile } from "./build";
export { findGuestFiles, loadRoster, MissingPathError, displayPath, readSources } from "./load";
export { formatLocation, Location, plural, Problem, quote, sortProblems, withoutUndefined } from "./problems";
export { csvCell, pathSpec, PathSpec, projectRoot, relativeTo, writeAppList, writeList } from "./read";
export { AppAccess, Guest, isGuid, Profile, PROFILE_FIELDS } from "./rules";

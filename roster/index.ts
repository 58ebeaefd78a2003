// Guest declarations: files -> parsed rows -> a validated, normalised roster. No Pulumi here.
export { buildRoster, DEFAULT_REDIRECT_URL, FileSummary, Roster, RosterOptions, SourceFile } from "./build";
export { findGuestFiles, loadRoster, MissingPathError, displayPath, readSources } from "./load";
export { formatLocation, Location, plural, Problem, sortProblems, withoutUndefined } from "./problems";
export { Guest } from "./schema";
export { AppAccess, isGuid } from "./references";
export { pathSpec, PathSpec, relativeTo } from "./paths";

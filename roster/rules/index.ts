// The rules a guest must meet: each field's check, references to groups and apps, the zod
// schema of a guest, domain policy, guardrails (catalog, member invites, expiry) and the
// stack's settings.
export { checkEmail } from "./fields";
export { AppAccess, isGuid } from "./references";
export { Guest } from "./schema";
export { Profile, PROFILE_FIELDS } from "./profile";
export { parseSettings, Settings, SettingsResult, CONFIG_NAMESPACE } from "./settings";

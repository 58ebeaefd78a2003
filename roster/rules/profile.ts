import { PROFILE_FIELDS } from "../read/csv-formats";
import { quote } from "../problems";
import { checkEmail, checkText, Checked, fail, isAbsent, ok } from "./fields";
import { isGuid } from "./references";

/**
 * The Entra user properties a guest file may carry, as Graph's user resource defines them
 * (learn.microsoft.com/graph/api/resources/user): read and checked, shown by `validate`, `plan`
 * and `diff`, not yet applied to the guest's user.
 */
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type Profile = Partial<Record<ProfileField, string>>;
export { PROFILE_FIELDS };

// ISO 3166-1 alpha-2, the codes Graph takes as usageLocation: ICU's region names without the
// exceptionally reserved, transitional and private codes (UK, EU, XK, ...).
const COUNTRIES = new Set(
    (
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR " +
        "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ " +
        "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW " +
        "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY " +
        "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV " +
        "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
        "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG " +
        "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM " +
        "ZW"
    ).split(" "),
);

/** A commonly written name for a country whose ISO code differs. */
const NOT_ISO: Record<string, string> = { UK: "GB", EL: "GR" };

/** Two letters of ISO 3166-1, upper-cased: Graph refuses anything else. */
export function checkUsageLocation(value: unknown): Checked<string | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const text = checkText("usageLocation", value, undefined);
    if (!text.ok || text.value === undefined) return text;
    const code = text.value.toUpperCase();
    if (COUNTRIES.has(code)) return ok(code);
    const instead = NOT_ISO[code];
    const fix = instead ? `write ${instead}, the ISO code for it` : "write the country's two-letter ISO 3166 code, like DE, FR or US";
    return fail(`\`usageLocation\` is not an ISO 3166 country code (got ${quote(value)}); ${fix}`);
}

/** The guest's manager: an address (normalised as a guest's is) or a user's object ID. */
export function checkManager(value: unknown): Checked<string | undefined> {
    if (isAbsent(value)) return ok(undefined);
    if (typeof value === "string" && isGuid(value.trim())) return ok(value.trim().toLowerCase());
    const email = checkEmail(value, "manager");
    if (email.ok) return email;
    return fail(`\`manager\` must be the manager's email address or object ID (got ${quote(value)}); write an address like maria@contoso.com or an object ID`);
}

/** Each property's check; lengths are Graph's maximums. */
export const profileChecks: Record<ProfileField, (value: unknown) => Checked<string | undefined>> = {
    givenName: (v) => checkText("givenName", v, 64),
    surname: (v) => checkText("surname", v, 64),
    companyName: (v) => checkText("companyName", v, 64),
    jobTitle: (v) => checkText("jobTitle", v, 128),
    department: (v) => checkText("department", v, 64),
    usageLocation: checkUsageLocation,
    manager: checkManager,
};

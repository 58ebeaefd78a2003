import { Location } from "../problems";

/** One guest (or a file's `defaults`) as a file declares it, before validation. */
export interface Declared {
    /** Where the entry starts: the CSV row, or the YAML mapping. */
    at: Location & { line: number };
    /** Raw values by key, as the file gives them (CSV: strings; YAML: what YAML made). */
    values: Record<string, unknown>;
    /** Where a key's value (or, with `key`, the key itself) is written; the entry when absent. */
    locate(path: readonly PropertyKey[], key?: boolean): Location;
}

/** What one file declares, in file order. */
export interface FileDeclarations {
    file: string;
    /** portal, legacy-b2b, powershell, native-csv or yaml. */
    format: string;
    defaults?: Declared;
    /** A YAML file's `policy`: domain rules for its own guests. */
    policy?: Declared;
    /** A YAML file's `catalog`: group and app aliases for every file. */
    catalog?: Declared;
    guests: Declared[];
    /** A CSV file's header row, where file-wide messages point. */
    header?: Location & { line: number };
    /** A CSV file's column label for each field it feeds, as written (`SendInvitationMessage`). */
    labels?: Record<string, string>;
}

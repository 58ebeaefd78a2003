// What a command throws for a user's mistake; main() turns each into a message and an exit code.

/** A mistake on the command line: the message, then the usage text; exit 2. */
export class UsageError extends Error {}

/** A file named on the command line that is not what the option takes: no usage text needed; exit 2. */
export class ArgumentFileError extends Error {}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T {
    if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
    throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
}

// `entra-guests template`: a starter file in one of the formats.
import { parseArgs } from "util";
import { oneOf } from "../../shell/errors";
import { EXIT, Io } from "../../shell/io";
import { TEMPLATES, TemplateFormat } from "./templates";

export function template(args: string[], io: Io): number {
    const { values } = parseArgs({ args, options: { format: { type: "string", default: "yaml" } } });
    const format = oneOf(values.format, ["portal", "native", "yaml"] as const, "--format");
    io.stdout.write(TEMPLATES[format as TemplateFormat]);
    return EXIT.ok;
}

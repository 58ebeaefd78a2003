import { existsSync } from "fs";
import * as path from "path";

/**
 * The folder holding Pulumi.yaml, which guest paths are relative to: the program runs from
 * dist/ after a build, so __dirname alone is not the project.
 */
export function projectRoot(start: string = __dirname): string {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return process.cwd();
    }
}

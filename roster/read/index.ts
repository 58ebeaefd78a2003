// Reading guest files: paths and folders, bytes to text, CSV dialects and YAML, each row kept
// with where it is written. What the files say, not yet whether it is allowed (see ../rules).
export { pathSpec, PathSpec, relativeTo } from "./paths";
export { projectRoot } from "./project";
export { decode } from "./decode";
export { Declared, FileDeclarations } from "./declared";
export { readCsvFile } from "./csv-file";
export { csvCell } from "./csv-cells";
export { writeAppList, writeList } from "./list-cells";
export { readYamlFile } from "./yaml-file";

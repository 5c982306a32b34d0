// Type-checks the console (web/) with vue-tsc. vue-tsc needs TypeScript's JS compiler API, which
// TypeScript 7 (the native `tsc` the server uses) no longer has: run it on TypeScript 6, installed
// under the alias `typescript6` (see ../shared/TOOLCHAIN.md).
process.argv.push("-p", require("node:path").join(__dirname, "../web/tsconfig.json"), "--noEmit");
require("vue-tsc").run(require.resolve("typescript6/lib/tsc"));

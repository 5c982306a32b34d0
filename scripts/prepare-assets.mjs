// Copies Scalar's browser bundle into ./public/docs so Workers static assets serve it at /docs/scalar.js.
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("public/docs", { recursive: true });
copyFileSync("node_modules/@scalar/api-reference/dist/browser/standalone.js", "public/docs/scalar.js");

import { afterAll, beforeAll } from "vitest";
import { startTarget } from "#target";
import { Api } from "./api.js";

/**
 * The Api a test file drives: its target (the app on Node, or the Worker in workerd) starts before
 * the file's first hook and test, and stops after the last.
 */
export function apiForSuite(): Api {
  const api = new Api();
  beforeAll(async () => {
    api.target = await startTarget();
  });
  afterAll(() => api.target.close());
  return api;
}

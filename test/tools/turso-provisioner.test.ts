// tursoProvisioner against a stand-in of Turso's Platform API that holds both sides to Turso's OpenAPI document.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client/web";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitUntilReady } from "../../src/platform/http-tenant-databases.js";
import { TursoApiError, tursoProvisioner, type TursoProvisionerOptions } from "../../src/platform/turso-provisioner.js";
import { startLibsqlServer, type LibsqlServer } from "../../tools/libsql-server/server.js";
import { openApiChecker } from "../../tools/turso-standin/openapi-check.js";
import { startTursoStandin, type TursoStandin, type TursoStandinOptions } from "../../tools/turso-standin/server.js";

const ORG = "acme";
const GROUP = "tenants";
const API_TOKEN = "platform-api-token";
const DB_TOKEN = "group-token";
const READY_AFTER_MS = 300;
const DATABASES = `/v1/organizations/${ORG}/databases`;

let libsql: LibsqlServer;
let dataDir: string;
let standins: TursoStandin[] = [];
let clients: Client[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "turso-standin-test-"));
  libsql = await startLibsqlServer({ dataDir, authToken: DB_TOKEN });
});

afterAll(async () => {
  await libsql?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// Every test leaves its stand-in clean: a test that provokes violations checks and clears them itself.
afterEach(async () => {
  for (const client of clients) client.close();
  const left = standins.flatMap((s) => s.violations);
  await Promise.all(standins.map((s) => s.close()));
  standins = [];
  clients = [];
  expect(left).toEqual([]);
});

async function standin(extra: Partial<TursoStandinOptions> = {}) {
  const s = await startTursoStandin({ libsql, organization: ORG, group: GROUP, apiToken: API_TOKEN, readyAfterMs: READY_AFTER_MS, ...extra });
  standins.push(s);
  return s;
}

/** Takes the violations a test provoked on purpose, so afterEach only sees unexpected ones. */
function takeViolations(s: TursoStandin) {
  return s.violations.splice(0);
}

async function api(s: TursoStandin, method: string, path: string, options: { body?: unknown; raw?: string; token?: string | null; contentType?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? API_TOKEN}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const res = await fetch(s.url + path, { method, headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

function provisioner(s: TursoStandin, extra: Partial<TursoProvisionerOptions> = {}) {
  return tursoProvisioner({
    organization: ORG,
    group: GROUP,
    apiToken: API_TOKEN,
    apiBase: s.url,
    // The stand-in's Hostname is HOST:PORT/t/<name>: plain HTTP here, and the trailing slash the client needs.
    urlFor: (hostname) => `http://${hostname}/`,
    baseDelayMs: 10,
    ...extra,
  });
}

function connect(url: string) {
  const client = createClient({ url, authToken: DB_TOKEN });
  clients.push(client);
  return client;
}

let counter = 0;
const uniqueName = () => `ten-${Date.now().toString(36)}-${counter++}`;

describe("the stand-in checks requests and answers against Turso's OpenAPI document", () => {
  it("accepts what the spec allows: create with optional fields, list by group, get, delete", async () => {
    const s = await standin();
    const name = uniqueName();
    const created = await api(s, "POST", DATABASES, { body: { name, group: GROUP, size_limit: "256mb", remote_encryption: { encryption_cipher: "aes256gcm" } } });
    expect(created.status).toBe(200);
    expect(created.body.database).toEqual({ DbId: expect.any(String), Name: name, Hostname: `${new URL(libsql.url).host}/t/${name}` });

    const listed = await api(s, "GET", `${DATABASES}?group=${GROUP}`);
    expect(listed.body.databases.map((d: { Name: string }) => d.Name)).toContain(name);
    const got = await api(s, "GET", `${DATABASES}/${name}`);
    expect(got.body.database).toMatchObject({ Name: name, group: GROUP, parent: null });
    expect(await api(s, "DELETE", `${DATABASES}/${name}`)).toEqual({ status: 200, body: { database: name } });
    expect(libsql.hasDatabase(name)).toBe(false);
    expect(s.violations).toEqual([]);
  });

  it("refuses a create body without name (400) and records why", async () => {
    const s = await standin();
    const res = await api(s, "POST", DATABASES, { body: { group: GROUP } });
    expect(res.status).toBe(400);
    expect(takeViolations(s)).toEqual([expect.stringMatching(/request body must have required property 'name'/)]);
  });

  it("refuses fields of the wrong type or outside an enum", async () => {
    const s = await standin();
    expect((await api(s, "POST", DATABASES, { body: { name: 42, group: GROUP } })).status).toBe(400);
    expect((await api(s, "POST", DATABASES, { body: { name: uniqueName(), group: GROUP, seed: { type: "snapshot" } } })).status).toBe(400);
    expect(takeViolations(s)).toEqual([expect.stringMatching(/request body\/name must be string/), expect.stringMatching(/request body\/seed\/type must be equal to one of the allowed values/)]);
  });

  it("records fields the spec does not name, which Turso would ignore, but serves the request", async () => {
    const s = await standin();
    const res = await api(s, "POST", DATABASES, { body: { name: uniqueName(), group: GROUP, groupName: GROUP } });
    expect(res.status).toBe(200);
    expect(takeViolations(s)).toEqual([expect.stringMatching(/request body\/groupName is not in the spec/)]);
  });

  it("refuses a wrong path, a wrong method, a non-JSON body and a missing token", async () => {
    const s = await standin();
    expect((await api(s, "GET", `/v1/organisations/${ORG}/databases`)).status).toBe(404);
    expect((await api(s, "PUT", `${DATABASES}/x`, { body: {} })).status).toBe(405);
    expect((await api(s, "POST", DATABASES, { raw: "name=x", contentType: "application/x-www-form-urlencoded" })).status).toBe(400);
    expect((await api(s, "DELETE", `${DATABASES}/x`, { body: { force: true } })).status).toBe(400);
    expect((await api(s, "GET", DATABASES, { token: null })).status).toBe(401);
    expect(takeViolations(s)).toEqual([
      expect.stringMatching(/no operation has the path/),
      expect.stringMatching(/PUT is not an operation/),
      expect.stringMatching(/content-type .* is not one of application\/json/),
      expect.stringMatching(/deleteDatabase takes no request body/),
      expect.stringMatching(/no Authorization: Bearer header/),
    ]);
  });

  it("answers a wrong token, an unknown group and an unknown organization as documented, with no violation", async () => {
    const s = await standin();
    expect(await api(s, "GET", DATABASES, { token: "nope" })).toEqual({ status: 401, body: { error: "invalid token" } });
    expect(await api(s, "POST", DATABASES, { body: { name: uniqueName(), group: "nope" } })).toEqual({ status: 400, body: { error: "group not found" } });
    expect((await api(s, "POST", "/v1/organizations/other/databases", { body: { name: uniqueName(), group: GROUP } })).status).toBe(400);
    expect((await api(s, "GET", "/v1/organizations/other/databases/x")).status).toBe(404);
  });

  it("checks answers too: an undeclared status or a body of the wrong shape is a violation", () => {
    const checker = openApiChecker(JSON.parse(readFileSync(new URL("../../tools/turso-standin/turso-platform-openapi.json", import.meta.url), "utf8")));
    const match = checker.match("POST", DATABASES);
    if (!match.op) throw new Error(match.error);
    expect(checker.checkResponse(match.op, 200, { database: { DbId: "x", Hostname: "h", Name: "n" } })).toEqual([]);
    expect(checker.checkResponse(match.op, 409, { error: "database with name n already exists" })).toEqual([]);
    expect(checker.checkResponse(match.op, 503, "<html>")).toEqual([]); // gateways answer these on every route
    expect(checker.checkResponse(match.op, 200, { database: { Hostname: 5 } })).toEqual([expect.stringMatching(/database\/Hostname must be string/)]);
    expect(checker.checkResponse(match.op, 404, { error: "x" })).toEqual([expect.stringMatching(/declares no 404 response/)]);
    const get = checker.match("GET", `${DATABASES}/db`);
    if (!get.op) throw new Error(get.error);
    expect(get.params).toEqual({ organizationSlug: ORG, databaseName: "db" });
    expect(checker.checkResponse(get.op, 200, { database: { Name: "db", parent: null, regions: "us" } })).toEqual([expect.stringMatching(/regions must be array/)]);
  });
});

describe("tursoProvisioner", () => {
  it("creates a database that answers once it is ready, and destroys it", async () => {
    const s = await standin();
    const p = provisioner(s);
    const name = uniqueName();
    const started = Date.now();
    const { url } = await p.create(name);
    expect(url).toBe(libsql.databaseUrl(name));

    const client = connect(url);
    const attempts = await waitUntilReady(client, 10_000, 50);
    expect(attempts).toBeGreaterThan(1); // it answered 404 first, like a fresh Turso database
    expect(Date.now() - started).toBeGreaterThanOrEqual(READY_AFTER_MS);
    await client.execute("CREATE TABLE t (x INTEGER)");
    await client.execute({ sql: "INSERT INTO t VALUES (?)", args: [7] });
    expect((await client.execute("SELECT x FROM t")).rows[0]?.x).toBe(7);

    await p.destroy(name);
    expect(libsql.hasDatabase(name)).toBe(false);
    await p.destroy(name); // already gone counts as done
    expect(s.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["POST 200", "DELETE 200", "DELETE 404"]);
    expect(s.violations).toEqual([]);
  });

  // Turso documents 409 for a duplicate name; its API has answered 400 since mid-2026 (turso-docs#409).
  for (const duplicateStatus of [409, 400] as const) {
    it(`continues with a database that already exists in its group (duplicate answered ${duplicateStatus})`, async () => {
      const s = await standin({ duplicateStatus });
      const p = provisioner(s);
      const name = uniqueName();
      const first = await p.create(name);
      expect(await p.create(name)).toEqual(first);
      expect(s.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["POST 200", `POST ${duplicateStatus}`, "GET 200"]);
    });

    it(`refuses a name that exists in another group (duplicate answered ${duplicateStatus})`, async () => {
      const s = await standin({ otherGroups: ["staging"], duplicateStatus });
      const name = uniqueName();
      await provisioner(s, { group: "staging" }).create(name);
      await expect(provisioner(s).create(name)).rejects.toThrow(new RegExp(`${duplicateStatus} database with name .* already exists \\(in group "staging", not "tenants"\\)`));
    });

    it(`recovers when the database was created but the answer was lost (5xx, then ${duplicateStatus} in our group)`, async () => {
      const s = await standin({ failCreates: { count: 1, afterCreating: true }, duplicateStatus });
      const name = uniqueName();
      expect((await provisioner(s).create(name)).url).toBe(libsql.databaseUrl(name));
      expect(s.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["POST 503", `POST ${duplicateStatus}`, "GET 200"]);
    });
  }


  it("retries 5xx answers and succeeds on the third attempt", async () => {
    const s = await standin({ failCreates: { count: 2, status: 500 } });
    const name = uniqueName();
    expect((await provisioner(s).create(name)).url).toBe(libsql.databaseUrl(name));
    expect(s.requests.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it("gives up after three failed attempts with the API's message", async () => {
    const s = await standin({ failCreates: { count: 3 } });
    const error = await provisioner(s).create(uniqueName()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TursoApiError);
    expect(error).toMatchObject({ status: 503, apiMessage: "service unavailable" });
    expect(s.requests).toHaveLength(3);
  });

  it("honours Retry-After on 429", async () => {
    const s = await standin({ failCreates: { count: 1, status: 429, retryAfter: "1" } });
    const started = Date.now();
    await provisioner(s).create(uniqueName());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(s.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("retries network errors, then reports that no answer came", async () => {
    const s = await standin();
    let calls = 0;
    const failingFetch: typeof fetch = async () => {
      calls++;
      throw new TypeError("fetch failed");
    };
    const error = await provisioner(s, { fetch: failingFetch }).create(uniqueName()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TursoApiError", status: undefined, message: expect.stringMatching(/no answer fetch failed/) });
    expect(calls).toBe(3);
  });

  it("rejects without retrying on a wrong token, an unknown group or a bad name, with the API's own message", async () => {
    const s = await standin();
    await expect(provisioner(s, { apiToken: "wrong" }).create(uniqueName())).rejects.toThrow(/^Turso createDatabase ten-.*: 401 invalid token$/);
    await expect(provisioner(s, { group: "nope" }).create(uniqueName())).rejects.toThrow(/400 group not found/);
    await expect(provisioner(s).create("Bad_Name")).rejects.toThrow(/400 invalid database name/);
    // The unknown group's 400 might have been a duplicate name (Turso's 400 since mid-2026): one lookup says not.
    expect(s.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["POST 401", "POST 400", "GET 404", "POST 400"]);
    expect(takeViolations(s)).toEqual([expect.stringMatching(/name "Bad_Name" is not 1-64 of a-z, 0-9 and -/)]);
  });
});

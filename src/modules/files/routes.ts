import { type Context, Hono, type MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../http/env.js";
import { nowOf, serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { notFound, ProblemError } from "../../http/problem.js";
import { validate } from "../../http/validation.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { checkDeclaredLength, multipartFile, readUpload } from "./body.js";
import { downloadHeaders } from "./headers.js";
import { downloadQuery, fileIdParam, fileOut, uploadQuery, usageOut } from "./schemas.js";
import { assertRoomFor, createFile, fileUsage, getFile, readableFile } from "./service.js";
import { verifyFileUrl } from "./signing.js";
import { kindFromPrefix } from "./types.js";

const tags = ["files"];
const DOWNLOAD_PATH = /^\/v1\/files\/(file_[0-9A-Z]{26})$/;

/**
 * Bearer authentication, except for a download with a signed URL (an `<img src>`), which names its
 * tenant and member and is checked here instead. The upload route is not behind the idempotency
 * middleware: it would read the whole body to hash it, before any limit applies.
 */
export const fileAccess = (directory: TenantDirectory, authenticate: MiddlewareHandler<AppEnv>) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const match = DOWNLOAD_PATH.exec(c.req.path);
    if (c.req.method !== "GET" || !match || c.req.query("sig") === undefined) return authenticate(c, next);
    const grant = await verifyFileUrl(c.get("ports").config.jwtSecret, match[1]!, c.req.query(), nowOf(c));
    if (grant === "expired") throw new ProblemError("file.link_expired");
    if (!grant) throw new ProblemError("file.link_invalid");
    const tenant = await directory.activeById(grant.tenantId);
    if (!tenant) throw notFound("file.not_found");
    c.set("tenant", tenant);
    c.set("db", c.get("ports").tenantDatabases.open(tenant.id, tenant.dbLocator));
    // Acting as the member the URL was made for: the download re-checks their status, role and sight of the file.
    c.set("actor", { memberId: grant.memberId, role: grant.role, via: "session" });
    await next();
  });

const settingsOf = (c: Context<AppEnv>) => ({ store: c.get("ports").files, quotaBytes: c.get("ports").config.fileQuotaBytes });

export const fileRoutes = new Hono<AppEnv>()
  .post(
    "/",
    docs({
      summary: "Upload a photo (JPEG, PNG, WebP, HEIC; ≤ 10 MB) or document (PDF, DOCX, XLSX; ≤ 20 MB): the raw body, or multipart/form-data with one file part",
      description: "The type is decided from the bytes; a declared Content-Type that disagrees is 415. Unattached files are deleted after a day.",
      tags,
      responses: { 201: fileOut },
      problems: [413, 415, 507],
    }),
    validate("query", uploadQuery),
    async (c) => {
      const ctx = serviceContext(c);
      const settings = settingsOf(c);
      const declared = checkDeclaredLength(c.req.header("content-length"));
      await assertRoomFor(ctx, settings.quotaBytes, declared ?? 0);
      const contentType = c.req.header("content-type");
      const body = c.req.raw.body;
      if (!body) throw new ProblemError("file.empty");
      const { name } = c.req.valid("query");
      if (contentType && /^multipart\/form-data/i.test(contentType)) {
        const part = await multipartFile(body, contentType);
        const read = await readUpload(part.stream(), part.size, kindFromPrefix);
        return c.json(await createFile(ctx, settings, { ...read, name: name ?? part.name, claimedType: part.type }), 201);
      }
      const read = await readUpload(body, declared, kindFromPrefix);
      return c.json(await createFile(ctx, settings, { ...read, name, claimedType: contentType }), 201);
    },
  )
  .get("/usage", docs({ summary: "How much of the bureau's file storage is used", tags, responses: { 200: usageOut } }), async (c) => {
    return c.json(await fileUsage(serviceContext(c), c.get("ports").config.fileQuotaBytes), 200);
  })
  .get("/:id/info", docs({ summary: "A file's details and a fresh signed URL for <img src> (valid about 10 minutes)", tags, responses: { 200: fileOut } }), validate("param", fileIdParam), async (c) => {
    return c.json(await getFile(serviceContext(c), c.req.valid("param").id), 200);
  })
  .get(
    "/:id",
    docs({ summary: "Download a file: with the bearer token, or with a signed URL's parameters (t, m, r, exp, sig) instead", tags, responses: { 200: null } }),
    validate("param", fileIdParam),
    validate("query", downloadQuery),
    async (c) => {
      const ctx = serviceContext(c);
      const row = await readableFile(ctx, c.req.valid("param").id);
      const headers = downloadHeaders(row);
      if (c.req.header("if-none-match") === headers.ETag) return new Response(null, { status: 304, headers: { ETag: headers.ETag, "Cache-Control": headers["Cache-Control"] } });
      const object = await c.get("ports").files.get(ctx.tenant.id, row.id);
      if (!object) throw notFound("file.not_found");
      return new Response(object.body, { status: 200, headers: { ...headers, "Content-Length": String(object.size) } });
    },
  );

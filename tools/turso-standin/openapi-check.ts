// Checks HTTP requests and answers against an OpenAPI 3.0 document with a JSON Schema validator, so a
// stand-in that says "Turso would accept this" is held to Turso's published description, not our guess.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";

type Json = Record<string, any>;

export interface Operation {
  id: string;
  method: string;
  /** e.g. /v1/organizations/{organizationSlug}/databases */
  template: string;
  /** JSON pointer of the operation object in the document. */
  pointer: string;
}

export interface IncomingCall {
  params: Record<string, string>;
  query: URLSearchParams;
  contentType: string | undefined;
  /** The raw body; "" when none was sent. */
  body: string;
}

export interface RequestCheck {
  /** Breaks the spec: the API would refuse it (400). */
  errors: string[];
  /** Outside the spec but harmless to Turso (ignored fields and query parameters); still worth knowing. */
  undocumented: string[];
  /** The parsed JSON body, when there was one. */
  body: unknown;
}

export type Match = { op: Operation; params: Record<string, string> } | { op?: undefined; status: 404 | 405; error: string };

export interface OpenApiChecker {
  match(method: string, pathname: string): Match;
  checkRequest(op: Operation, call: IncomingCall): RequestCheck;
  /** Problems with an answer we are about to give. */
  checkResponse(op: Operation, status: number, body: unknown): string[];
}

/**
 * Statuses any route may answer although no operation declares them: the document defines the
 * bearerAuth scheme (hence 401) but applies and documents it nowhere, and rate limiters and gateways
 * answer 429 and 5xx in front of every route.
 */
const INFRASTRUCTURE_STATUS = (status: number) => status === 401 || status === 429 || status >= 500;
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

const escapeSegment = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const pointerOf = (...segments: string[]) => `#/${segments.map(escapeSegment).join("/")}`;
const formatError = (where: string, e: ErrorObject) =>
  `${where}${e.instancePath || ""} ${e.message ?? e.keyword}${e.keyword === "additionalProperties" ? ` (${(e.params as Json).additionalProperty})` : ""}${e.keyword === "enum" ? ` ${JSON.stringify((e.params as Json).allowedValues)}` : ""}`;

export function openApiChecker(doc: Json): OpenApiChecker {
  // OpenAPI 3.0 schemas carry annotations JSON Schema does not know (example, deprecated, xml);
  // strict mode would refuse them. `nullable` is understood by Ajv itself.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("date-time", DATE_TIME);
  ajv.addSchema(doc, "openapi");
  const compiled = new Map<string, ValidateFunction>();

  /** Follows $refs from a pointer to the object it finally names. */
  function resolve(pointer: string): { pointer: string; node: Json } {
    for (let hops = 0; hops < 20; hops++) {
      const node = pointer
        .slice(2)
        .split("/")
        .reduce<any>((at, seg) => at?.[seg.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
      if (node === undefined) throw new Error(`The OpenAPI document has nothing at ${pointer}`);
      if (typeof node?.$ref !== "string") return { pointer, node };
      pointer = node.$ref;
    }
    throw new Error(`$ref loop at ${pointer}`);
  }

  function validate(schemaPointer: string, value: unknown, where: string): string[] {
    let fn = compiled.get(schemaPointer);
    if (!fn) {
      // By reference into the whole document, so the schema's own "#/components/..." refs resolve.
      const fragment = schemaPointer.slice(1).split("/").map(encodeURIComponent).join("/");
      fn = ajv.compile({ $ref: `openapi#${fragment}` });
      compiled.set(schemaPointer, fn);
    }
    return fn(value) ? [] : (fn.errors ?? []).map((e) => formatError(where, e));
  }

  /** Object members the schema does not name. The spec leaves objects open, so this is advice only. */
  function unknownFields(schemaPointer: string, value: unknown, where: string): string[] {
    const { pointer, node } = resolve(schemaPointer);
    if (node.allOf || node.oneOf || node.anyOf || node.additionalProperties !== undefined) return [];
    if (Array.isArray(value) && node.items) return value.flatMap((v, i) => unknownFields(`${pointer}/items`, v, `${where}/${i}`));
    if (typeof value !== "object" || value === null || Array.isArray(value) || !node.properties) return [];
    return Object.entries(value).flatMap(([key, v]) =>
      key in node.properties
        ? unknownFields(`${pointer}/properties/${escapeSegment(key)}`, v, `${where}/${key}`)
        : [`${where}/${key} is not in the spec (the API ignores it)`],
    );
  }

  const operations: (Operation & { regex: RegExp; names: string[] })[] = [];
  for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), "([^/]+)"));
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      operations.push({ id: op.operationId ?? `${method} ${template}`, method: method.toUpperCase(), template, pointer: pointerOf("paths", template, method), regex: new RegExp(`^${source}$`), names });
    }
  }
  // Literal segments beat parameters, as in routers: /groups/x/update before /groups/{groupName}.
  const literalLength = (t: string) => t.replace(/\{[^}]+\}/g, "").length;
  operations.sort((a, b) => literalLength(b.template) - literalLength(a.template));

  return {
    match(method, pathname) {
      let pathMatched = false;
      for (const op of operations) {
        const m = op.regex.exec(pathname);
        if (!m) continue;
        pathMatched = true;
        if (op.method !== method.toUpperCase()) continue;
        const params: Record<string, string> = {};
        try {
          op.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
        } catch {
          return { status: 404, error: `${pathname}: bad percent-encoding` };
        }
        return { op, params };
      }
      return pathMatched ? { status: 405, error: `${method} is not an operation of ${pathname}` } : { status: 404, error: `no operation has the path ${pathname}` };
    },

    checkRequest(op, call) {
      const errors: string[] = [];
      const undocumented: string[] = [];
      const opNode = resolve(op.pointer).node;
      const pathItem = resolve(pointerOf("paths", op.template)).node;
      const declared = [...(pathItem.parameters ?? []).map((_: unknown, i: number) => pointerOf("paths", op.template, "parameters", String(i))), ...(opNode.parameters ?? []).map((_: unknown, i: number) => `${op.pointer}/parameters/${i}`)];
      const knownQuery = new Set<string>();
      for (const declaredPointer of declared) {
        const { pointer, node: param } = resolve(declaredPointer);
        if (param.in === "query") knownQuery.add(param.name);
        if (param.in !== "path" && param.in !== "query") continue;
        const raw = param.in === "path" ? call.params[param.name] : call.query.get(param.name) ?? undefined;
        if (raw === undefined) {
          if (param.required) errors.push(`${param.in} parameter ${param.name} is required`);
          continue;
        }
        if (!param.schema) continue;
        const type = resolve(`${pointer}/schema`).node.type;
        const value = type === "integer" || type === "number" ? (raw.trim() === "" ? NaN : Number(raw)) : type === "boolean" ? (raw === "true" ? true : raw === "false" ? false : raw) : raw;
        errors.push(...validate(`${pointer}/schema`, value, `${param.in} parameter ${param.name}`));
      }
      for (const key of new Set(call.query.keys())) if (!knownQuery.has(key)) undocumented.push(`query parameter ${key} is not in the spec`);

      let body: unknown;
      const requestBody = opNode.requestBody ? resolve(`${op.pointer}/requestBody`) : undefined;
      if (!requestBody) {
        if (call.body.trim() !== "") errors.push(`${op.id} takes no request body`);
        return { errors, undocumented, body };
      }
      if (call.body.trim() === "") {
        if (requestBody.node.required) errors.push("request body is required");
        return { errors, undocumented, body };
      }
      const mediaType = (call.contentType ?? "").split(";")[0]!.trim().toLowerCase();
      if (!requestBody.node.content?.[mediaType]) {
        errors.push(`content-type ${JSON.stringify(call.contentType ?? null)} is not one of ${Object.keys(requestBody.node.content ?? {}).join(", ")}`);
        return { errors, undocumented, body };
      }
      try {
        body = JSON.parse(call.body);
      } catch {
        errors.push("request body is not JSON");
        return { errors, undocumented, body };
      }
      const schema = `${requestBody.pointer}/content/${escapeSegment(mediaType)}/schema`;
      errors.push(...validate(schema, body, "request body"));
      undocumented.push(...unknownFields(schema, body, "request body"));
      return { errors, undocumented, body };
    },

    checkResponse(op, status, body) {
      const responses = resolve(op.pointer).node.responses ?? {};
      const key = String(status) in responses ? String(status) : `${String(status)[0]}XX` in responses ? `${String(status)[0]}XX` : "default" in responses ? "default" : undefined;
      if (key === undefined) return INFRASTRUCTURE_STATUS(status) ? [] : [`${op.id} declares no ${status} response (it declares ${Object.keys(responses).join(", ")})`];
      const { pointer, node } = resolve(`${op.pointer}/responses/${key}`);
      if (!node.content) return body === undefined || body === null ? [] : [`${op.id} ${status} declares no body`];
      if (!node.content["application/json"]) return [`${op.id} ${status} is not declared as application/json`];
      return validate(`${pointer}/content/application~1json/schema`, body, `${op.id} ${status} response body`);
    },
  };
}

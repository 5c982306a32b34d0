import type { InferResponseType } from "hono/client";
import type { api } from "../../api";

export type ProjectRow = InferResponseType<typeof api.v1.projects.$get, 200>["data"][number];
export type LogRow = InferResponseType<(typeof api.v1.projects)[":id"]["logs"]["$get"], 200>["data"][number];

import type { InferResponseType } from "hono/client";
import type { publicApi } from "../../api";

export type Board = InferResponseType<(typeof publicApi.v1.public)[":tenantSlug"]["pledges"]["$get"], 200>;
export type BoardPledge = Board["data"][number];

import type { LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema.js";

export { schema };
export type TenantDb = LibSQLDatabase<typeof schema>;

/** build/, where `npm start`'s server bundle lives. */
export declare const NODE_BUILD_DIR: string;
/** Bundles the Node server into build/ (skipped with ifStale when nothing that went into it changed); true when it built. */
export declare function buildNode(options?: { ifStale?: boolean }): Promise<boolean>;

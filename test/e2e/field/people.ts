// Moved to support/people.ts (with signUp and signIn options); kept so journeys written against the old path still build.
export * from "../support/people.js";

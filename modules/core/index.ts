export * from "./errors";
export * from "./validate";
export * from "./naming";
export * from "./tags";
export * from "./network";
export * from "./security-group";
export * from "./iam";
export * from "./windows";

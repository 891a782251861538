/**
 * The shape of an environment: plain typed data, no cdktf. `dev.ts`, `staging.ts` and `prod.ts` each export one
 * `Environment`; every knob that differs between environments lives there, and stacks read nothing else.
 * Every type here is derived from the schema in `schema.ts` (`z.infer`), so the types and the check cannot drift.
 */
import type { z } from "zod";
import type * as s from "./schema";

export { ALERTING_SERVICES, CHAT_SERVICES, ENVIRONMENT_NAMES } from "./schema";

/** Every value of an object, deeply read-only: stacks read environments, never change them. */
export type DeepReadonly<T> = T extends (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
type Of<S extends z.ZodType> = DeepReadonly<z.infer<S>>;

export type EnvironmentName = Of<typeof s.environmentSchema>["name"];
export type AlertingServiceName = (typeof s.ALERTING_SERVICES)[number];
export type ChatServiceName = (typeof s.CHAT_SERVICES)[number];
export type NatGateways = Of<typeof s.natGatewaysSchema>;
export type SafetyProfile = Of<typeof s.safetyProfileSchema>;
export type ServiceSizing = Of<typeof s.serviceSizingSchema>;
export type DatabaseSizing = Of<typeof s.databaseSizingSchema>;
export type DatabaseChoice = Of<typeof s.databaseChoiceSchema>;
export type MskSizing = Of<typeof s.mskSizingSchema>;
export type EksSizing = Of<typeof s.eksSizingSchema>;
export type AlertingPlatformSettings = Of<typeof s.alertingPlatformSchema>;
export type DotnetApiSettings = Of<typeof s.dotnetApiSchema>;
export type ChatAppSettings = Of<typeof s.chatAppSchema>;
export type TvmazeIngestionSettings = Of<typeof s.tvmazeIngestionSchema>;
export type UploadPipelineSettings = Of<typeof s.uploadPipelineSchema>;
export type Environment = Of<typeof s.environmentSchema>;

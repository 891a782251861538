/** Tags every resource carries through the provider's default_tags (G3). */
export interface TagContext {
  readonly project: string;
  readonly system: string;
  readonly environment: string;
}

export function standardTags(ctx: TagContext, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    Project: ctx.project,
    System: ctx.system,
    Environment: ctx.environment,
    ManagedBy: "cdktf",
    ...extra,
  };
}

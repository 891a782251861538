/**
 * What an environment trades between cost and safety for stateful resources (G8), as one value every stateful module
 * accepts (`protection: stack.protection`). A module's own prop of the same name, when given, wins.
 */
export interface Protection {
  /** Deletion protection of databases, user pools and load balancers. */
  readonly deletionProtection: boolean;
  /** Skip the final snapshot when a database is destroyed (loses the last data). */
  readonly skipFinalSnapshot: boolean;
  /** Automated backup retention, days. */
  readonly backupRetentionDays: number;
  /** Terraform `prevent_destroy` on stateful resources. */
  readonly preventDestroy: boolean;
  /** Let `terraform destroy` empty and delete buckets and repositories. */
  readonly forceDestroy: boolean;
}

/** The most protective profile: what a module assumes when given nothing. */
export const FULL_PROTECTION: Protection = { deletionProtection: true, skipFinalSnapshot: false, backupRetentionDays: 7, preventDestroy: true, forceDestroy: false };

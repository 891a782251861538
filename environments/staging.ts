import type { Environment } from "./types";
import { stateBackend } from "./bootstrap";

/** staging: prod-shaped safety at dev-like size, so a release is rehearsed on the same guards. */
export const staging: Environment = {
  name: "staging",
  project: "platform",
  region: "eu-west-1",
  backend: stateBackend,
  githubOrg: "example-org",
  imageTag: "initial",
  safety: {
    deletionProtection: true,
    skipFinalSnapshot: false,
    backupRetentionDays: 7,
    preventDestroy: false,
    forceDestroy: false,
  },
  systems: {
    alertingPlatform: {
      vpcCidr: "10.0.0.0/16",
      azCount: 2,
      natGateways: "single",
      containerInsights: false,
      cluster: { instanceType: "t3.micro", minInstances: 1, maxInstances: 4 },
      services: {
        "rule-service": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        "alert-producer": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        evaluator: { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        aggregator: { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        sender: { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        "rule-updater": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 1 },
      },
      database: { instanceClass: "db.t3.micro", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 20, multiAz: false },
      redis: { nodeType: "cache.t3.micro", snapshotRetentionDays: 5 },
      kafka: { cpu: 512, memoryMiB: 768, storageGiB: 10, partitions: 9 },
      logRetentionDays: 14,
    },
  },
};

import type { Environment } from "./types";
import { stateBackend } from "./bootstrap";

/** prod: Multi-AZ, deletion protection, final snapshots, NAT per AZ, longer retention (G8). */
export const prod: Environment = {
  name: "prod",
  project: "platform",
  region: "eu-west-1",
  backend: stateBackend,
  githubOrg: "example-org",
  imageTag: "initial",
  safety: {
    deletionProtection: true,
    skipFinalSnapshot: false,
    backupRetentionDays: 7,
    preventDestroy: true,
    forceDestroy: false,
  },
  systems: {
    alertingPlatform: {
      vpcCidr: "10.0.0.0/16",
      azCount: 2,
      natGateways: "perAz",
      containerInsights: true,
      cluster: { instanceType: "t3.micro", minInstances: 1, maxInstances: 4 },
      services: {
        "rule-service": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        "alert-producer": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        evaluator: { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        aggregator: { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        sender: { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        "rule-updater": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 1 },
      },
      database: { instanceClass: "db.t3.micro", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100, multiAz: true },
      redis: { nodeType: "cache.t3.micro", snapshotRetentionDays: 5 },
      kafka: { cpu: 512, memoryMiB: 768, storageGiB: 10, partitions: 9 },
      logRetentionDays: 30,
    },
  },
};

import type { DatabaseProps } from "../../modules/rds";
import { build } from "./rds.fixture";

// Props Database refuses, each with the message that names the prop.
describe("Database", () => {
  describe("refuses", () => {
    const refuse = (props: Partial<DatabaseProps>) => () => build(props);
    const instance = (e: Partial<{ instanceClass: string; allocatedStorageGiB: number; maxAllocatedStorageGiB: number; storageType: "gp2" | "gp3" | "io1"; iops: number }>) =>
      ({ kind: "instance" as const, instanceClass: "db.t3.micro", allocatedStorageGiB: 20, ...e });

    it("an identifier longer than 63 characters", () => {
      expect(refuse({ name: `db-${"x".repeat(62)}` })).toThrow(/test\/Db: name = "db-x+" is not allowed; expected at most 63 characters .*got 65/);
    });
    it("an identifier with upper case or underscores", () => {
      expect(refuse({ name: "My_Db" })).toThrow(/name = "My_Db" is not allowed; expected lowercase letters, digits and hyphens/);
    });
    it("an identifier with two consecutive hyphens", () => {
      expect(refuse({ name: "app--db" })).toThrow(/name = "app--db" is not allowed; expected no two consecutive hyphens/);
    });
    it("an Aurora identifier that leaves no room for instance suffixes", () => {
      expect(refuse({ name: `a${"b".repeat(62)}`, engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2 } })).toThrow(/name = "ab+" is not allowed; expected at most 61 characters so that instance identifiers/);
    });
    it("allocated storage below 20 GiB", () => {
      expect(refuse({ engine: instance({ allocatedStorageGiB: 10 }) })).toThrow(/engine\.allocatedStorageGiB = 10 is not allowed; expected a whole number from 20 to 65536/);
    });
    it("allocated storage above 65536 GiB", () => {
      expect(refuse({ engine: instance({ allocatedStorageGiB: 70000 }) })).toThrow(/engine\.allocatedStorageGiB = 70000 is not allowed/);
    });
    it("an autoscaling ceiling below the allocation", () => {
      expect(refuse({ engine: instance({ allocatedStorageGiB: 50, maxAllocatedStorageGiB: 40 }) })).toThrow(/engine\.maxAllocatedStorageGiB = 40 is not allowed; expected a whole number from 50 to 65536/);
    });
    it("0 backup days (backups off)", () => {
      expect(refuse({ backupRetentionDays: 0 })).toThrow(/backupRetentionDays = 0 is not allowed; expected a whole number from 1 to 35/);
    });
    it("36 backup days", () => {
      expect(refuse({ backupRetentionDays: 36 })).toThrow(/backupRetentionDays = 36 is not allowed/);
    });
    it("a malformed backup window", () => {
      expect(refuse({ backupWindow: "2:00-3:00" })).toThrow(/backupWindow = "2:00-3:00" is not allowed; expected "hh24:mi-hh24:mi"/);
    });
    it("a backup window shorter than 30 minutes", () => {
      expect(refuse({ backupWindow: "02:00-02:15" })).toThrow(/backupWindow = "02:00-02:15" is not allowed; expected a window of at least 30 minutes/);
    });
    it("a maintenance window with capitalised days", () => {
      expect(refuse({ maintenanceWindow: "Sun:03:00-Sun:04:00" })).toThrow(/maintenanceWindow = "Sun:03:00-Sun:04:00" is not allowed; expected "ddd:hh24:mi-ddd:hh24:mi"/);
    });
    it("a backup window that ends where the maintenance window starts (the API counts touching windows as overlapping)", () => {
      expect(refuse({ backupWindow: "02:00-03:00" })).toThrow(/backupWindow = "02:00-03:00" is not allowed; expected a window that does not overlap maintenanceWindow "sun:03:00-sun:04:00"/);
      expect(refuse({ backupWindow: "04:00-04:30" })).toThrow(/backupWindow = "04:00-04:30" is not allowed/);
    });
    it("a backup window overlapping the maintenance window", () => {
      expect(refuse({ backupWindow: "03:30-04:30" })).toThrow(/backupWindow = "03:30-04:30" is not allowed; expected a window that does not overlap maintenanceWindow "sun:03:00-sun:04:00"/);
    });
    it("Aurora minimum ACU not in steps of 0.5", () => {
      expect(refuse({ engine: { kind: "aurora-serverless-v2", minAcu: 0.3, maxAcu: 2 } })).toThrow(/engine\.minAcu = 0.3 is not allowed; expected a number from 0 to 256 in steps of 0.5/);
    });
    it("Aurora maximum ACU above 256", () => {
      expect(refuse({ engine: { kind: "aurora-serverless-v2", minAcu: 1, maxAcu: 300 } })).toThrow(/engine\.maxAcu = 300 is not allowed; expected a number from 1 to 256/);
    });
    it("Aurora minimum ACU above the maximum", () => {
      expect(refuse({ engine: { kind: "aurora-serverless-v2", minAcu: 4, maxAcu: 2 } })).toThrow(/engine\.minAcu = 4 is not allowed; expected engine\.minAcu <= engine\.maxAcu \(2\)/);
    });
    it("Multi-AZ Aurora with one instance", () => {
      expect(refuse({ multiAz: true, engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2 } })).toThrow(/multiAz = true is not allowed; Aurora needs a reader in a second AZ: set engine\.instances to 2 or more \(got 1\)/);
    });
    it("an instance class that is not an RDS class", () => {
      expect(refuse({ engine: instance({ instanceClass: "t3.micro" }) })).toThrow(/engine\.instanceClass = "t3.micro" is not allowed; expected an RDS instance class/);
    });
    it("a rotation period above 365 days", () => {
      expect(refuse({ passwordRotationDays: 400 })).toThrow(/passwordRotationDays = 400 is not allowed; expected a whole number from 1 to 365/);
    });
    it("a rotation period of 0 days", () => {
      expect(refuse({ passwordRotationDays: 0 })).toThrow(/passwordRotationDays = 0 is not allowed/);
    });
    it("a database name starting with a digit or containing hyphens", () => {
      expect(refuse({ databaseName: "1app" })).toThrow(/databaseName = "1app" is not allowed; expected a letter followed by up to 62 letters, digits or underscores/);
      expect(refuse({ databaseName: "my-app" })).toThrow(/databaseName = "my-app" is not allowed/);
    });
    it("reserved master user names", () => {
      for (const name of ["admin", "postgres", "rdsadmin", "Postgres"]) {
        expect(refuse({ masterUsername: name })).toThrow(new RegExp(`masterUsername = "${name}" is not allowed; expected a name that is not reserved`));
      }
    });
    it("io1 storage without IOPS, and IOPS without io1", () => {
      expect(refuse({ engine: instance({ allocatedStorageGiB: 100, storageType: "io1" }) })).toThrow(/engine\.iops = undefined is not allowed; required with storageType "io1"/);
      expect(refuse({ engine: instance({ iops: 3000 }) })).toThrow(/engine\.iops = 3000 is not allowed; only allowed with storageType "io1"/);
    });
    it("a KMS key that is not a KMS ARN", () => {
      expect(refuse({ kmsKeyArn: "alias/rds" })).toThrow(/kmsKeyArn = "alias\/rds" is not allowed; expected an ARN of the kms service/);
    });
    it("an enhanced monitoring interval RDS does not offer", () => {
      expect(refuse({ enhancedMonitoringSeconds: 2 as 1 })).toThrow(/test\/Db: enhancedMonitoringSeconds = 2 is not allowed; expected one of 0, 1, 5, 10, 15, 30, 60/);
    });
    it("AWS Backup kept 0 days", () => {
      expect(refuse({ awsBackup: { retentionDays: 0 } })).toThrow(/awsBackup\.retentionDays = 0 is not allowed; expected a whole number from 1 to 36500/);
    });
    it("AWS Backup kept longer than 100 years", () => {
      expect(refuse({ engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2 }, awsBackup: { retentionDays: 36501 } })).toThrow(/awsBackup\.retentionDays = 36501 is not allowed/);
    });
    it("AWS Backup kept a fractional number of days", () => {
      expect(refuse({ awsBackup: { retentionDays: 7.5 } })).toThrow(/awsBackup\.retentionDays = 7.5 is not allowed; expected a whole number/);
    });
    it("an unsupported major version", () => {
      expect(refuse({ engineVersion: "12" as "13" })).toThrow(/engineVersion = "12" is not allowed; expected one of "13", "14", "15", "16", "17"/);
    });
  });
});

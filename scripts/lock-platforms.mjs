#!/usr/bin/env node
// Adds the lockfile entries npm leaves out when the registry it talks to serves only this
// platform's prebuilt binaries (oxlint's and rollup's per-platform packages answer 404 on some
// mirrors). Without them `npm ci` refuses the lockfile as "out of sync" on every machine.
// Each entry is an optional, platform-restricted package at the version its parent names, so
// npm skips it where os/cpu/libc do not match and fetches it normally where they do.
// Usage: node scripts/lock-platforms.mjs [package-lock.json]   (idempotent; run after `npm install`)
import fs from "node:fs";
const file = process.argv[2] ?? "package-lock.json";
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const pk = lock.packages;
const CPU = { x64: "x64", arm64: "arm64", arm: "arm", ia32: "ia32", ppc64: "ppc64", riscv64: "riscv64", s390x: "s390x", loong64: "loong64" };
let added = 0;
for (const [path, meta] of Object.entries(pk)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = "node_modules/" + dep;
    if (pk[key] || pk[path + "/node_modules/" + dep]) continue;
    const m = dep.match(/(?:binding|rollup)-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z]+))?$/);
    if (!m) { console.error("unknown", dep); continue; }
    const [, os, cpuRaw, abi] = m;
    const cpu = cpuRaw === "arm" ? "arm" : CPU[cpuRaw];
    if (!cpu) { console.error("cpu?", dep); continue; }
    const entry = { version: range, cpu: [cpu] };
    if (meta.dev) entry.dev = true;
    if (abi && os === "linux") entry.libc = [abi.startsWith("musl") ? "musl" : "glibc"];
    entry.license = "MIT";
    entry.optional = true;
    entry.os = [os];
    pk[key] = entry; added++;
  }
}
const sorted = {};
for (const k of Object.keys(pk).sort((a, b) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b)))) sorted[k] = pk[k];
lock.packages = sorted;
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log("added", added);

// @ts-check
/**
 * An architecture diagram of one synthesized stack (cdk.tf.json) as Graphviz DOT. Pure: no file access.
 *
 * - the VPC as a cluster, its subnets grouped by tier (public / private, with their CIDRs and AZ count);
 * - one node per security group, named after the construct that owns it and labelled with what holds it
 *   (load balancer, service with its task count, database, cache, broker, nodes, ...), placed in its tier;
 * - an edge for every security-group ingress rule: from the source group (or CIDR) to the target, with the port;
 * - internet-facing entry points (public load balancers, CloudFront, API Gateway) drawn bold red, reached from an
 *   "internet" node; regional data stores outside the VPC (S3, SQS, Secrets Manager) in a cluster of their own.
 */

/** @typedef {Record<string, any>} Json */

/** What a resource type is, for labels, and where it sits. */
const KINDS = /** @type {Record<string, { label: string, tier: "public" | "private" }>} */ ({
  aws_lb: { label: "load balancer", tier: "public" },
  aws_ecs_service: { label: "ECS service", tier: "private" },
  aws_db_instance: { label: "RDS", tier: "private" },
  aws_rds_cluster: { label: "Aurora", tier: "private" },
  aws_docdb_cluster: { label: "DocumentDB", tier: "private" },
  aws_elasticache_replication_group: { label: "ElastiCache", tier: "private" },
  aws_msk_cluster: { label: "MSK", tier: "private" },
  aws_efs_mount_target: { label: "EFS", tier: "private" },
  aws_eks_cluster: { label: "EKS", tier: "private" },
  aws_launch_template: { label: "EC2 nodes", tier: "private" },
  aws_instance: { label: "EC2", tier: "private" },
  aws_vpc_endpoint: { label: "VPC endpoint", tier: "private" },
});

/** @param {string} s */
const quote = (s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
/** @param {string} s */
const id = (s) => quote(s);

/**
 * The owning construct of a resource: its path without the stack and the resource's own id.
 * @param {Json} r
 */
function owner(r) {
  const parts = String(r["//"]?.metadata?.path ?? "").split("/").slice(1);
  return parts.length > 1 ? parts.slice(0, -1).join("/") : parts.join("/");
}

/**
 * @param {string} ref `${aws_security_group.NAME.id}`
 * @returns {string | undefined} NAME
 */
function sgName(ref) {
  return /\$\{aws_security_group\.([A-Za-z0-9_-]+)\.id\}/.exec(String(ref ?? ""))?.[1];
}

/** @param {number} from @param {number} to @param {string} proto */
function portLabel(from, to, proto) {
  if (proto === "-1") return "all traffic";
  return from === to ? `${proto} ${from}` : `${proto} ${from}-${to}`;
}

/** Managed data stores, drawn in the isolated database tier when the VPC has one. */
const DATA_KINDS = ["aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_elasticache_replication_group", "aws_msk_cluster"];

/**
 * @param {Json} subnet
 * @returns {"public" | "private" | "database"}
 */
function subnetTier(subnet) {
  const path = String(subnet["//"]?.metadata?.path ?? "").toLowerCase();
  return path.includes("public") ? "public" : path.includes("databasesubnet") ? "database" : "private";
}

/**
 * @param {string} stack
 * @param {Json} config
 * @returns {string} DOT
 */
export function stackToDot(stack, config) {
  const res = /** @type {Record<string, Record<string, Json>>} */ (config.resource ?? {});
  const all = Object.entries(res).flatMap(([type, byName]) => Object.entries(byName).map(([name, r]) => ({ type, name, r, text: JSON.stringify(r) })));
  const lines = ["digraph architecture {", "  graph [rankdir=LR, fontname=\"DejaVu Sans\", fontsize=12, labelloc=t, nodesep=0.3, ranksep=0.9];", "  node [fontname=\"DejaVu Sans\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6f8\"];", "  edge [fontname=\"DejaVu Sans\", fontsize=9, color=\"#555555\"];", `  label=${quote(`${stack}: network, entry points and who may talk to whom (an edge per security-group rule)`)};`];

  // Security groups and what holds them.
  const hasDatabaseTier = Object.values(res.aws_subnet ?? {}).some((s) => subnetTier(s) === "database");
  const groups = Object.entries(res.aws_security_group ?? {}).map(([name, sg]) => {
    const holders = all.filter((x) => KINDS[x.type] && x.text.includes(`aws_security_group.${name}.id`));
    const kinds = [...new Set(holders.map((h) => h.type))];
    const publicTier = kinds.some((k) => KINDS[k].tier === "public") && holders.some((h) => h.type !== "aws_lb" || h.r.internal !== true);
    const tier = publicTier ? "public" : kinds.length > 0 && kinds.every((k) => DATA_KINDS.includes(k)) && hasDatabaseTier ? "database" : "private";
    const details = kinds.map((k) => {
      const of = holders.filter((h) => h.type === k);
      if (k === "aws_ecs_service") return of.map((h) => `${KINDS[k].label} ${h.r.name} x${h.r.desired_count ?? "?"}`).join("\n");
      if (k === "aws_db_instance") return of.map((h) => `RDS ${h.r.instance_class}${h.r.multi_az ? " Multi-AZ" : ""}`).join("\n");
      if (k === "aws_elasticache_replication_group") return of.map((h) => `ElastiCache ${h.r.node_type} x${h.r.num_cache_clusters ?? 1}`).join("\n");
      if (k === "aws_msk_cluster") return of.map((h) => `MSK ${h.r.broker_node_group_info?.instance_type} x${h.r.number_of_broker_nodes}`).join("\n");
      if (k === "aws_instance") return `EC2 ${of[0].r.instance_type} x${of.length}`;
      if (k === "aws_lb") return of.map((h) => `${h.r.internal ? "internal" : "internet-facing"} ALB`).join("\n");
      return of.length > 1 ? `${KINDS[k].label} x${of.length}` : KINDS[k].label;
    });
    const publicLb = holders.some((h) => h.type === "aws_lb" && h.r.internal !== true);
    return { name, owner: owner(sg), tier, label: [owner(sg) || name, ...details].join("\n"), publicLb };
  });
  const groupByName = new Map(groups.map((g) => [g.name, g]));

  // VPC, tiers, subnets.
  for (const [vpcName, vpc] of Object.entries(res.aws_vpc ?? {})) {
    lines.push(`  subgraph ${id(`cluster_${vpcName}`)} {`, `    label=${quote(`VPC ${vpc.cidr_block ?? ""}`)}; style=rounded; color="#1f6feb";`);
    const subnets = Object.values(res.aws_subnet ?? {});
    for (const tier of /** @type {const} */ (["public", "private", "database"])) {
      const mine = subnets.filter((s) => subnetTier(s) === tier);
      if (mine.length === 0) continue;
      lines.push(`    subgraph ${id(`cluster_${vpcName}_${tier}`)} {`, `      label=${quote(`${tier} subnets x${mine.length}: ${mine.map((s) => s.cidr_block).join(", ")}`)}; style="rounded,dashed"; color="${tier === "public" ? "#d29922" : tier === "database" ? "#1a7f37" : "#8b949e"}";`);
      if (tier === "public") {
        const nats = Object.keys(res.aws_nat_gateway ?? {}).length;
        if (nats) lines.push(`      ${id("nat")} [label=${quote(`NAT gateway x${nats}`)}, shape=octagon, fillcolor="#fff8c5"];`);
      }
      for (const g of groups.filter((x) => x.tier === tier)) {
        const style = g.publicLb ? ', color="#cf222e", penwidth=2.5, fillcolor="#ffebe9"' : "";
        lines.push(`      ${id(g.name)} [label=${quote(g.publicLb ? `${g.label}\n(internet-facing entry point)` : g.label)}${style}];`);
      }
      lines.push("    }");
    }
    lines.push("  }");
  }

  // Entry points outside the VPC, the internet, regional stores.
  lines.push(`  ${id("internet")} [label="internet", shape=ellipse, fillcolor="#ffebe9", color="#cf222e"];`);
  const edges = new Set();
  for (const [name] of Object.entries(res.aws_cloudfront_distribution ?? {})) {
    lines.push(`  ${id(`cf_${name}`)} [label=${quote("CloudFront distribution\n(internet-facing entry point)")}, color="#cf222e", penwidth=2.5, fillcolor="#ffebe9"];`);
    edges.add(`  ${id("internet")} -> ${id(`cf_${name}`)} [label="https 443", color="#cf222e"];`);
  }
  for (const [name, api] of Object.entries(res.aws_api_gateway_rest_api ?? {})) {
    lines.push(`  ${id(`api_${name}`)} [label=${quote(`API Gateway ${api.name ?? ""}\n(internet-facing entry point)`)}, color="#cf222e", penwidth=2.5, fillcolor="#ffebe9"];`);
    edges.add(`  ${id("internet")} -> ${id(`api_${name}`)} [label="https 443", color="#cf222e"];`);
  }
  const stores = [
    ...Object.values(res.aws_s3_bucket ?? {}).map((b) => `S3 ${b.bucket}`),
    ...Object.values(res.aws_sqs_queue ?? {}).map((q) => `SQS ${q.name}`),
    ...Object.values(res.aws_secretsmanager_secret ?? {}).map((s) => `secret ${s.name}`),
  ];
  if (stores.length) {
    lines.push(`  subgraph cluster_regional {`, `    label="regional services (outside the VPC)"; style=rounded; color="#8250df";`);
    stores.forEach((s, i) => lines.push(`    ${id(`store_${i}`)} [label=${quote(s)}, shape=cylinder, fillcolor="#fbefff"];`));
    lines.push("  }");
  }

  // An edge per ingress rule (standalone rules and inline ingress blocks).
  /** @type {{ target: string, source?: string, cidr?: string, from: number, to: number, proto: string }[]} */
  const rules = Object.values(res.aws_vpc_security_group_ingress_rule ?? {}).map((r) => ({
    target: sgName(r.security_group_id) ?? "",
    source: sgName(r.referenced_security_group_id),
    cidr: r.cidr_ipv4 ?? r.cidr_ipv6 ?? r.prefix_list_id,
    from: Number(r.from_port ?? 0),
    to: Number(r.to_port ?? r.from_port ?? 0),
    proto: String(r.ip_protocol ?? "tcp"),
  }));
  for (const [name, sg] of Object.entries(res.aws_security_group ?? {})) {
    for (const i of [].concat(sg.ingress ?? [])) {
      const rule = /** @type {Json} */ (i);
      for (const src of [].concat(rule.security_groups ?? [])) rules.push({ target: name, source: sgName(src), from: rule.from_port, to: rule.to_port, proto: rule.protocol });
      for (const cidr of [].concat(rule.cidr_blocks ?? [])) rules.push({ target: name, cidr, from: rule.from_port, to: rule.to_port, proto: rule.protocol });
      if (rule.self) rules.push({ target: name, source: name, from: rule.from_port, to: rule.to_port, proto: rule.protocol });
    }
  }
  for (const r of rules) {
    if (!groupByName.has(r.target)) continue;
    const label = portLabel(r.from, r.to, r.proto);
    if (r.source) edges.add(`  ${id(r.source)} -> ${id(r.target)} [label=${quote(label)}];`);
    else if (r.cidr === "0.0.0.0/0" || r.cidr === "::/0") edges.add(`  ${id("internet")} -> ${id(r.target)} [label=${quote(label)}, color="#cf222e", penwidth=1.5];`);
    else {
      const cidrNode = `cidr_${r.cidr}`;
      const declaration = `  ${id(cidrNode)} [label=${quote(String(r.cidr))}, shape=note, fillcolor="#ffffff"];`;
      if (!lines.includes(declaration)) lines.push(declaration);
      edges.add(`  ${id(cidrNode)} -> ${id(r.target)} [label=${quote(label)}];`);
    }
  }
  lines.push(...[...edges].sort(), "}");
  return lines.join("\n") + "\n";
}

/**
 * Counts used by tests and the command's summary: security-group rules drawn, entry points marked.
 * @param {string} dot
 */
export function dotStats(dot) {
  return {
    edges: (dot.match(/ -> /g) ?? []).length,
    entryPoints: (dot.match(/internet-facing entry point/g) ?? []).length,
  };
}

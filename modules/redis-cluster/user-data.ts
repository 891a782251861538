/**
 * The boot script of a Redis Cluster node (cloud-init runs it once, on first boot): Redis 6 from the Amazon Linux
 * 2023 repository, its data directory on the separate EBS volume, AOF + RDB persistence, the CloudWatch agent,
 * and a daily cron job that copies the RDB snapshot of a primary to the backup bucket.
 *
 * The text goes through Terraform's template syntax, so literal "${" and "%{" are escaped by `shell`; values passed
 * in (resource references) stay live.
 */

/** A template tag that escapes Terraform template sequences in the literal text and keeps interpolated values as they are. */
function shell(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  // Replacement functions, not strings: "$$" in a replacement string would collapse to "$".
  const escape = (text: string) => text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
  return strings.reduce((out, text, i) => out + escape(text) + (i < values.length ? String(values[i]) : ""), "");
}

export const REDIS_PORT = 6379;
export const REDIS_BUS_PORT = 16379;
/** Where the data volume is mounted: the redis6 package's own data directory, so the service needs no changes. */
export const DATA_DIR = "/var/lib/redis6";
/** Daily backup at 03:30 UTC (after the default RDB saves have settled, before business hours in Europe). */
export const BACKUP_CRON = "30 3 * * *";
/** Fixed idempotency token: the first node to store a password wins; the others read it back. */
const AUTH_SEED_TOKEN = "redis-auth-initial-password-0000000001";
/**
 * The SSM parameter label of the TLS bundle in use. Terraform creates the parameter with a placeholder (version 1);
 * the first bundle a node stores (version 2) gets the label, so the first writer wins; renewal moves the label.
 */
export const TLS_LABEL = "current";
/** Where each node keeps the CA certificate, its certificate and key (the key readable by Redis only). */
export const TLS_DIR = "/etc/redis6/tls";
/** redis6-cli options of a TLS cluster, on a node. */
export const CLI_TLS = `--tls --cacert ${TLS_DIR}/ca.crt`;

export interface NodeScriptProps {
  readonly nodeName: string;
  readonly dataVolumeId: string;
  readonly backupBucket: string;
  readonly logGroupName: string;
  /** Secrets Manager secret holding the AUTH password; none turns AUTH off. */
  readonly authSecretArn?: string;
  /** SSM SecureString parameter holding the TLS bundle ({ ca, cert, key } PEM), and its KMS key; none serves plain TCP. */
  readonly tls?: { readonly parameterName: string; readonly keyId: string };
}

export function nodeScript(p: NodeScriptProps): string {
  return shell`#!/bin/bash
# Redis Cluster node ${p.nodeName}: first-boot setup (log: /var/log/redis-bootstrap.log).
set -euo pipefail
exec > >(tee -a /var/log/redis-bootstrap.log) 2>&1

NODE_NAME="${p.nodeName}"
DATA_VOLUME_ID="${p.dataVolumeId}"
BACKUP_BUCKET="${p.backupBucket}"
LOG_GROUP="${p.logGroupName}"
AUTH_SECRET_ARN="${p.authSecretArn ?? ""}"
TLS_PARAMETER="${p.tls?.parameterName ?? ""}"
TLS_KEY_ID="${p.tls?.keyId ?? ""}"

IMDS_TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 600")
metadata() { curl -sS -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" "http://169.254.169.254/latest/meta-data/$1"; }
PRIVATE_IP=$(metadata local-ipv4)
export AWS_DEFAULT_REGION=$(metadata placement/region)

dnf install -y redis6 amazon-cloudwatch-agent cronie awscli-2 xfsprogs jq openssl

# Kernel settings Redis asks for: fork for BGSAVE/AOF rewrite must not fail, no transparent huge pages.
cat > /etc/sysctl.d/90-redis.conf <<'SYSCTL'
vm.overcommit_memory = 1
net.core.somaxconn = 1024
SYSCTL
sysctl --system
echo never > /sys/kernel/mm/transparent_hugepage/enabled
cat > /etc/systemd/system/disable-thp.service <<'UNIT'
[Unit]
Description=Disable transparent huge pages for Redis
Before=redis6.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo never > /sys/kernel/mm/transparent_hugepage/enabled'
[Install]
WantedBy=multi-user.target
UNIT
systemctl enable disable-thp.service

# Data volume: wait for the attachment, format it once, mount it by UUID on the Redis data directory.
DEVICE=""
for attempt in $(seq 1 120); do
  for candidate in "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$(echo "$DATA_VOLUME_ID" | sed 's/-//')" /dev/xvdf /dev/sdf; do
    if [ -e "$candidate" ]; then DEVICE=$(readlink -f "$candidate"); break 2; fi
  done
  sleep 5
done
if [ -z "$DEVICE" ]; then echo "data volume $DATA_VOLUME_ID never attached" >&2; exit 1; fi
blkid "$DEVICE" >/dev/null || mkfs.xfs -L redis-data "$DEVICE"
UUID=$(blkid -s UUID -o value "$DEVICE")
mkdir -p ${DATA_DIR}
grep -q "$UUID" /etc/fstab || echo "UUID=$UUID ${DATA_DIR} xfs defaults,nofail 0 2" >> /etc/fstab
mount -a
chown redis6:redis6 ${DATA_DIR}
chmod 750 ${DATA_DIR}
restorecon -R ${DATA_DIR} 2>/dev/null || true
mkdir -p /var/log/redis6 && chown redis6:redis6 /var/log/redis6

# AUTH password: read from Secrets Manager; the first node to boot generates and stores it.
PASSWORD=""
if [ -n "$AUTH_SECRET_ARN" ]; then
  for attempt in $(seq 1 30); do
    if PASSWORD=$(aws secretsmanager get-secret-value --secret-id "$AUTH_SECRET_ARN" --query SecretString --output text 2>/dev/null); then break; fi
    aws secretsmanager put-secret-value --secret-id "$AUTH_SECRET_ARN" --client-request-token "${AUTH_SEED_TOKEN}" \\
      --secret-string "$(openssl rand -hex 32)" >/dev/null 2>&1 || true
    sleep 2
  done
  if [ -z "$PASSWORD" ]; then echo "could not read the AUTH password from $AUTH_SECRET_ARN" >&2; exit 1; fi
  install -m 600 -o root -g root /dev/null /etc/redis6/cli-auth
  printf '%s' "$PASSWORD" > /etc/redis6/cli-auth
fi

# TLS (issue 10 item 4): the CA certificate, node certificate and key from the SSM parameter's version labelled
# "${TLS_LABEL}"; while no version has the label, a node generates a private CA, signs one certificate for every node of the
# cluster and stores the bundle (not the CA key) as a new version; the first stored one (version 2) is labelled.
CLI_TLS=""
if [ -n "$TLS_PARAMETER" ]; then
  BUNDLE=""
  for attempt in $(seq 1 30); do
    if BUNDLE=$(aws ssm get-parameter --name "$TLS_PARAMETER:${TLS_LABEL}" --with-decryption --query Parameter.Value --output text 2>/dev/null); then break; fi
    if [ "$(aws ssm get-parameter --name "$TLS_PARAMETER" --query Parameter.Version --output text 2>/dev/null)" = "1" ]; then
      work=$(mktemp -d)
      openssl req -x509 -new -nodes -newkey rsa:3072 -sha256 -days 3650 -keyout "$work/ca.key" -out "$work/ca.crt" -subj "/CN=$NODE_NAME Redis Cluster CA" 2>/dev/null
      openssl req -new -nodes -newkey rsa:2048 -sha256 -keyout "$work/node.key" -out "$work/node.csr" -subj "/CN=redis-cluster" 2>/dev/null
      openssl x509 -req -sha256 -days 825 -in "$work/node.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -out "$work/node.crt" 2>/dev/null
      aws ssm put-parameter --name "$TLS_PARAMETER" --overwrite --type SecureString --tier Advanced --key-id "$TLS_KEY_ID" \
        --value "$(jq -n --rawfile ca "$work/ca.crt" --rawfile cert "$work/node.crt" --rawfile key "$work/node.key" '{ca: $ca, cert: $cert, key: $key}')" >/dev/null 2>&1 || true
      rm -rf "$work"
    fi
    aws ssm label-parameter-version --name "$TLS_PARAMETER" --parameter-version 2 --labels ${TLS_LABEL} >/dev/null 2>&1 || true
    sleep 2
  done
  if [ -z "$BUNDLE" ]; then echo "could not read the TLS bundle from $TLS_PARAMETER:${TLS_LABEL}" >&2; exit 1; fi
  install -d -m 750 -o root -g redis6 ${TLS_DIR}
  for part in ca cert key; do
    install -m 640 -o root -g redis6 /dev/null "${TLS_DIR}/$part.pem"
    printf '%s' "$BUNDLE" | jq -r ".$part" > "${TLS_DIR}/$part.pem"
  done
  mv ${TLS_DIR}/ca.pem ${TLS_DIR}/ca.crt && mv ${TLS_DIR}/cert.pem ${TLS_DIR}/node.crt && mv ${TLS_DIR}/key.pem ${TLS_DIR}/node.key
  chmod 644 ${TLS_DIR}/ca.crt
  CLI_TLS="${CLI_TLS}"
fi

# 75 % of memory for data; the rest covers the copy-on-write of BGSAVE and AOF rewrites.
MAXMEMORY=$(awk '/MemTotal/ { printf "%dmb", $2 * 0.75 / 1024 }' /proc/meminfo)

install -m 640 -o root -g redis6 /dev/null /etc/redis6/redis6.conf
cat > /etc/redis6/redis6.conf <<CONF
# Written by the first-boot script of $NODE_NAME.
bind $PRIVATE_IP 127.0.0.1
port ${REDIS_PORT}
protected-mode yes
tcp-keepalive 300
supervised systemd
daemonize no
loglevel notice
logfile /var/log/redis6/redis6.log
dir ${DATA_DIR}

cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout 5000
cluster-announce-ip $PRIVATE_IP
cluster-require-full-coverage yes

# Persistence: AOF for durability, RDB snapshots for backups and fast restarts.
appendonly yes
appendfilename "appendonly.aof"
appendfsync everysec
aof-use-rdb-preamble yes
save 900 1
save 300 10
save 60 10000
dbfilename dump.rdb
rdbcompression yes
rdbchecksum yes
stop-writes-on-bgsave-error yes

maxmemory $MAXMEMORY
maxmemory-policy noeviction
CONF
if [ -n "$PASSWORD" ]; then
  printf 'requirepass %s\\nmasterauth %s\\n' "$PASSWORD" "$PASSWORD" >> /etc/redis6/redis6.conf
fi
if [ -n "$CLI_TLS" ]; then
  # Clients, replication and the cluster bus (${REDIS_BUS_PORT}) over TLS only; no plain-text port.
  sed -i 's/^port ${REDIS_PORT}$/port 0/' /etc/redis6/redis6.conf
  cat >> /etc/redis6/redis6.conf <<TLS
tls-port ${REDIS_PORT}
tls-cert-file ${TLS_DIR}/node.crt
tls-key-file ${TLS_DIR}/node.key
tls-ca-cert-file ${TLS_DIR}/ca.crt
tls-cluster yes
tls-replication yes
tls-auth-clients optional
tls-protocols "TLSv1.2 TLSv1.3"
TLS
fi
systemctl enable --now redis6

# Daily backup of a primary's RDB: daily/ always, weekly/ on Sundays, monthly/ on the 1st (lifecycle rules expire them).
cat > /usr/local/bin/redis-backup <<'BACKUP'
#!/bin/bash
set -euo pipefail
source /etc/redis-backup.env
if [ -r /etc/redis6/cli-auth ]; then export REDISCLI_AUTH=$(cat /etc/redis6/cli-auth); fi
cli() { redis6-cli $CLI_TLS -h "$PRIVATE_IP" -p ${REDIS_PORT} "$@"; }
# Replicas hold the same data as their primary: one copy per shard is enough.
if [ "$(cli role | head -n 1)" != "master" ]; then echo "$(date -u +%FT%TZ) not a primary, nothing to back up"; exit 0; fi
before=$(cli lastsave)
cli bgsave >/dev/null || true
for attempt in $(seq 1 720); do
  [ "$(cli lastsave)" != "$before" ] && break
  sleep 5
done
day=$(date -u +%F)
copy() { aws s3 cp ${DATA_DIR}/dump.rdb "s3://$BACKUP_BUCKET/$1/$day/$NODE_NAME.rdb" --only-show-errors; }
copy daily
if [ "$(date -u +%u)" = "7" ]; then copy weekly; fi
if [ "$(date -u +%d)" = "01" ]; then copy monthly; fi
echo "$(date -u +%FT%TZ) backed up $NODE_NAME to s3://$BACKUP_BUCKET/daily/$day/"
BACKUP
chmod 750 /usr/local/bin/redis-backup
printf 'NODE_NAME=%s\\nPRIVATE_IP=%s\\nBACKUP_BUCKET=%s\\nCLI_TLS="%s"\\nexport AWS_DEFAULT_REGION=%s\\n' "$NODE_NAME" "$PRIVATE_IP" "$BACKUP_BUCKET" "$CLI_TLS" "$AWS_DEFAULT_REGION" > /etc/redis-backup.env
echo "${BACKUP_CRON} root /usr/local/bin/redis-backup >> /var/log/redis-backup.log 2>&1" > /etc/cron.d/redis-backup
systemctl enable --now crond

# CloudWatch agent: memory and disk metrics, the Redis, backup and boot logs.
cat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<AGENT
{
  "agent": { "run_as_user": "root" },
  "metrics": {
    "namespace": "RedisCluster",
    "append_dimensions": { "InstanceId": "\\\${aws:InstanceId}" },
    "metrics_collected": {
      "mem": { "measurement": ["mem_used_percent"] },
      "disk": { "measurement": ["used_percent"], "resources": ["/", "${DATA_DIR}"] },
      "procstat": [{ "exe": "redis6-server", "measurement": ["cpu_usage", "memory_rss"] }]
    }
  },
  "logs": {
    "logs_collected": {
      "files": {
        "collect_list": [
          { "file_path": "/var/log/redis6/redis6.log", "log_group_name": "$LOG_GROUP", "log_stream_name": "$NODE_NAME/redis" },
          { "file_path": "/var/log/redis-backup.log", "log_group_name": "$LOG_GROUP", "log_stream_name": "$NODE_NAME/backup" },
          { "file_path": "/var/log/redis-bootstrap.log", "log_group_name": "$LOG_GROUP", "log_stream_name": "$NODE_NAME/bootstrap" }
        ]
      }
    }
  }
}
AGENT
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \\
  -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json

echo "$NODE_NAME ready on $PRIVATE_IP:${REDIS_PORT}; create the cluster once every node is ready (see the module README)."
`;
}

export interface ClusterTopology {
  /** Private IP of each shard's primary. */
  readonly primaryIps: readonly string[];
  /** The nodes serve TLS: redis6-cli connects with the cluster's CA. @default false */
  readonly tls?: boolean;
  /** Replicas, each with the private IP of the primary it follows. */
  readonly replicas: readonly { readonly ip: string; readonly primaryIp: string }[];
}

/**
 * The one-time cluster creation, as a shell script to run on any node (e.g. through SSM Session Manager) once every
 * node is up: the primaries first, then each replica attached to the primary chosen for it (in another AZ).
 */
export function clusterCreateScript(t: ClusterTopology): string {
  const addr = (ip: string) => `${ip}:${REDIS_PORT}`;
  const cli = t.tls ? `redis6-cli ${CLI_TLS}` : "redis6-cli";
  return [
    "set -euo pipefail",
    "if [ -r /etc/redis6/cli-auth ]; then export REDISCLI_AUTH=$(sudo cat /etc/redis6/cli-auth); fi",
    `${cli} --cluster create ${t.primaryIps.map(addr).join(" ")} --cluster-replicas 0 --cluster-yes`,
    ...t.replicas.map((r) =>
      `${cli} --cluster add-node ${addr(r.ip)} ${addr(r.primaryIp)} --cluster-slave --cluster-master-id "$(${cli} -h ${r.primaryIp} -p ${REDIS_PORT} cluster myid)"`,
    ),
    `${cli} -h ${t.primaryIps[0]} -p ${REDIS_PORT} cluster info | grep cluster_state`,
  ].join("\n");
}

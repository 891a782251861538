"""IAM oracles for the emulator tier (run by scripts/iam-audit.mjs in .cache/iam-audit-venv).

    python policy/iam_audit.py fetch ENDPOINT ROLES_JSON OUT      GetAccountAuthorizationDetails through the emulator,
                                                                  kept to the given role names and their policies
    python policy/iam_audit.py cloudsplaining DETAILS_JSON OUT   cloudsplaining's findings per policy (JSON)
    python policy/iam_audit.py parliament DOCUMENTS_JSON OUT     parliament's findings per policy document (JSON)

DOCUMENTS_JSON: [{"source": "<stack> <address>.<attribute>", "document": {...}}, ...].
"""

from __future__ import annotations

import json
import sys
from typing import Any

FINDING_TYPES = ("PrivilegeEscalation", "DataExfiltration", "ResourceExposure", "InfrastructureModification")


def fetch(endpoint: str, roles_file: str, out: str) -> None:
    import boto3

    wanted = set(json.load(open(roles_file)))
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="emulator", aws_secret_access_key="emulator")
    details: dict[str, list[Any]] = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
    for page in iam.get_paginator("get_account_authorization_details").paginate():
        for key in details:
            details[key] += page.get(key, [])
    roles = [r for r in details["RoleDetailList"] if r["RoleName"] in wanted]
    attached = {p["PolicyArn"] for r in roles for p in r.get("AttachedManagedPolicies", [])}
    for p in details["Policies"]:
        # moto leaves PolicyName out of some entries (cloudsplaining needs it); it is the ARN's last segment.
        p.setdefault("PolicyName", p["Arn"].rsplit("/", 1)[-1])
        # Likewise PolicyId for some AWS-managed policies (e.g. AmazonEBSCSIDriverPolicy); the ARN is as unique.
        p.setdefault("PolicyId", p["Arn"])
    result = {
        "UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles,
        "Policies": [p for p in details["Policies"] if p["Arn"] in attached],
    }
    json.dump(result, open(out, "w"), default=str, indent=1)


def cloudsplaining(details_file: str, out: str) -> None:
    from cloudsplaining.command.scan import scan_account_authorization_details
    from cloudsplaining.shared.exclusions import DEFAULT_EXCLUSIONS

    details = json.load(open(details_file))
    results = scan_account_authorization_details(
        details, DEFAULT_EXCLUSIONS, account_name="emulator", output_directory=None,
        write_data_files=False, minimize=True, return_json_results=True,
    )
    findings = []
    report = results["iam_findings"]
    for group in ("customer_managed_policies", "inline_policies"):
        for policy_id, policy in (report.get(group) or {}).items():
            attached = policy.get("AttachedTo", {}).get("roles", [])
            for kind in FINDING_TYPES:
                entry = policy.get(kind) or {}
                for action in entry.get("findings", []) if isinstance(entry, dict) else entry:
                    name = action.get("type", action) if isinstance(action, dict) else action
                    findings.append({"policy": policy.get("PolicyName", policy_id), "roles": attached, "group": group, "type": kind, "action": name})
    json.dump(findings, open(out, "w"), indent=1)


def parliament(documents_file: str, out: str) -> None:
    from parliament import analyze_policy_string, config

    findings = []
    for entry in json.load(open(documents_file)):
        policy = analyze_policy_string(json.dumps(entry["document"]), include_community_auditors=False)
        for f in policy.findings:
            meta = config.get(f.issue, {})
            findings.append({
                "source": entry["source"], "issue": f.issue, "severity": meta.get("severity", ""), "group": meta.get("group", ""),
                "detail": json.loads(json.dumps(f.detail, default=str)) if f.detail else None,
            })
    json.dump(findings, open(out, "w"), indent=1)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"fetch": fetch, "cloudsplaining": cloudsplaining, "parliament": parliament}[command](*args)

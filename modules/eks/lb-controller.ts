/**
 * The AWS Load Balancer Controller's permissions, as structured statements: the policy the controller documents
 * (docs/install/iam_policy.json of kubernetes-sigs/aws-load-balancer-controller, v2.x), written out here with
 * load balancer, listener, rule and target group ARNs scoped to this region and account. Writes on existing
 * resources need the controller's own tag (elbv2.k8s.aws/cluster), so it can change only what it created.
 */
import { PolicyStatement } from "../core";

export interface Where {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

const TAG = "elbv2.k8s.aws/cluster";
const tagged = { Null: { [`aws:ResourceTag/${TAG}`]: "false" } };
/** Tag changes only on the controller's resources, and never removing its tag in the same request. */
const ownTags = { Null: { [`aws:RequestTag/${TAG}`]: "true", [`aws:ResourceTag/${TAG}`]: "false" } };

export function loadBalancerControllerStatements(w: Where): PolicyStatement[] {
  const elb = `arn:${w.partition}:elasticloadbalancing:${w.region}:${w.account}`;
  const ec2 = `arn:${w.partition}:ec2:${w.region}:${w.account}`;
  const balancers = [`${elb}:loadbalancer/app/*/*`, `${elb}:loadbalancer/net/*/*`];
  const targetGroups = `${elb}:targetgroup/*/*`;
  const listeners = [`${elb}:listener/app/*/*/*`, `${elb}:listener/net/*/*/*`, `${elb}:listener-rule/app/*/*/*/*`, `${elb}:listener-rule/net/*/*/*/*`];
  return [
    {
      sid: "ElbServiceLinkedRole",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: ["*"],
      conditions: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      // Describe calls have no resource-level permissions.
      sid: "Discover",
      actions: [
        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerCertificates", "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      resources: ["*"],
    },
    {
      sid: "CertificatesWafShield",
      actions: [
        "cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates", "iam:GetServerCertificate",
        "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL",
        "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
        "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection", "shield:DeleteProtection",
      ],
      resources: ["*"],
    },
    { sid: "SecurityGroupRules", actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], resources: [`${ec2}:security-group/*`] },
    { sid: "CreateSecurityGroup", actions: ["ec2:CreateSecurityGroup"], resources: [`${ec2}:security-group/*`, `${ec2}:vpc/*`] },
    {
      sid: "TagNewSecurityGroup",
      actions: ["ec2:CreateTags"],
      resources: [`${ec2}:security-group/*`],
      conditions: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, Null: { [`aws:RequestTag/${TAG}`]: "false" } },
    },
    { sid: "TagOwnSecurityGroups", actions: ["ec2:CreateTags", "ec2:DeleteTags"], resources: [`${ec2}:security-group/*`], conditions: ownTags },
    {
      sid: "ChangeOwnSecurityGroups",
      actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      resources: [`${ec2}:security-group/*`],
      conditions: tagged,
    },
    {
      sid: "CreateTaggedBalancers",
      actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      resources: [...balancers, targetGroups],
      conditions: { Null: { [`aws:RequestTag/${TAG}`]: "false" } },
    },
    {
      sid: "ListenersAndRules",
      actions: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"],
      resources: [...balancers, ...listeners],
    },
    {
      sid: "TagOwnBalancers",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: [...balancers, targetGroups],
      conditions: ownTags,
    },
    {
      sid: "TagListeners",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: listeners,
    },
    {
      sid: "ChangeOwnBalancers",
      actions: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
      ],
      resources: [...balancers, targetGroups],
      conditions: tagged,
    },
    {
      sid: "TagOnCreate",
      actions: ["elasticloadbalancing:AddTags"],
      resources: [...balancers, targetGroups],
      conditions: {
        StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
        Null: { [`aws:RequestTag/${TAG}`]: "false" },
      },
    },
    { sid: "Targets", actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], resources: [targetGroups] },
    {
      sid: "ListenerSettings",
      actions: [
        "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
      ],
      resources: [...balancers, ...listeners],
    },
  ];
}

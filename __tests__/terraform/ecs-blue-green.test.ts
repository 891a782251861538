import { EcsBlueGreen } from "../../modules/ecs-blue-green";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

describe("EcsBlueGreen under terraform validate", () => {
  it("is valid with a test listener, canary traffic and several rollback alarms", async () => {
    const r = await validateConstructs((stack) => {
      new EcsBlueGreen(stack, "BlueGreen", {
        name: "chat-platform-prod-chat-service",
        clusterName: "chat-platform-prod",
        serviceName: "chat-service",
        listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/chat/abc/def",
        testListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/chat/abc/test",
        blueTargetGroupName: "chat-prod-chat-blue",
        greenTargetGroupName: "chat-prod-chat-green",
        rollbackAlarmNames: ["chat-platform-prod-chat-service-5xx", "chat-platform-prod-chat-service-latency"],
        deploymentConfig: "CodeDeployDefault.ECSCanary10Percent5Minutes",
        terminationWaitMinutes: 60,
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});

// Reminders and escalation on the moved devhost clock, seen in the outbox (docs/approvals.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { CreatedOrg } from "../support/identity";
import { accessToken, createOrg, login } from "../support/identity";
import { bootWithFakePsa } from "../support/executions";
import { createUser, iamClient, newPassword, ownerToken } from "../support/iam";
import {
  decideByApi,
  decideByLink,
  durableOf,
  getExecution,
  linkFor,
  messagesOf,
  openGate,
  waitForStatus,
} from "../support/approvals";
import { busOf } from "../support/executions";

const A = "ada@example.com";
const PHONE = "+15550177";
const BOSS = "boss@example.com";

describe("reminders and escalation", () => {
  let host: DevHost;
  let stop: () => Promise<void>;
  let org: CreatedOrg;
  let owner = "";
  const token = () => owner;
  /** Tokens live 10 minutes; the clock moves further, so sign in again after each move. */
  const refresh = async () => {
    owner = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
  };
  /** Moves the devhost clock and lets every timer that fell due run to its end. */
  const advance = async (seconds: number) => {
    host.clock.advance(seconds * 1000);
    await new Promise((resolve) => setImmediate(resolve));
    await durableOf(host).idle();
    await busOf(host).idle();
    await durableOf(host).idle();
  };
  const reminders = (executionId: string, to: string) =>
    messagesOf(host, executionId, to).filter((message) => message.idempotency_key.includes(":reminder:"));

  beforeAll(async () => {
    ({ host, stop } = await bootWithFakePsa());
    org = await createOrg(host);
    await refresh();
  });
  afterAll(() => stop());

  it("reminds each undecided approver at every_seconds, up to max, and stops once the gate is decided", async () => {
    const gate = await openGate(host, token, org.orgId, "Remind", {
      approvers: [{ email: A }, { phone: PHONE }],
      required_approvals: 2,
      reminders: { every_seconds: 600, max: 3 },
      timeout_seconds: 7200,
    });
    await advance(590);
    expect(reminders(gate.executionId, A)).toHaveLength(0);
    expect(reminders(gate.executionId, PHONE)).toHaveLength(0);

    await advance(10);
    const [toA] = reminders(gate.executionId, A);
    expect(toA).toMatchObject({ subject: expect.stringMatching(/^Reminder: approval needed/) });
    expect(toA!.links).toEqual([linkFor(host, gate.executionId, A)]);
    expect(reminders(gate.executionId, PHONE)).toHaveLength(1);

    expect((await decideByLink(linkFor(host, gate.executionId, A), "approve")).status).toBe(200);
    await advance(600);
    expect(reminders(gate.executionId, A)).toHaveLength(1);
    expect(reminders(gate.executionId, PHONE)).toHaveLength(2);

    expect((await decideByLink(linkFor(host, gate.executionId, PHONE), "approve")).status).toBe(200);
    await refresh();
    const done = await waitForStatus(host, token, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.status).toBe("succeeded");
    await advance(3600);
    expect(reminders(gate.executionId, A)).toHaveLength(1);
    expect(reminders(gate.executionId, PHONE)).toHaveLength(2);

    // The audit says when each round went and to whom: at opening + k × 600 s on the gate's own clock.
    await refresh();
    const step = (await getExecution(host, owner, gate.executionId)).steps[0]!;
    const opened = Date.parse(step.started_at as string);
    const rounds = (step.outputs as { reminders: { round: number; at: string; approvers: string[] }[] })
      .reminders;
    expect(rounds.map((round) => [round.round, round.approvers])).toEqual([
      [1, [`email:${A}`, `phone:${PHONE}`]],
      [2, [`phone:${PHONE}`]],
    ]);
    const onTime = (at: string, round: number) => {
      const offset = Date.parse(at) - opened - round * 600_000;
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(30_000);
    };
    rounds.forEach((round) => onTime(round.at, round.round));
    // The outbox (GET /dev/outbox) tells the same story on the devhost's clock.
    const outbox = (await (await fetch(`${host.url}/dev/outbox?to=${encodeURIComponent(PHONE)}`)).json()) as {
      items: { idempotency_key: string; sent_at: string }[];
    };
    const sent = outbox.items.filter((item) => item.idempotency_key.startsWith(`${gate.executionId}:`));
    expect(sent.map((item) => item.idempotency_key.split(":reminder:")[1] ?? "first")).toEqual([
      "first",
      "1",
      "2",
    ]);
    sent.slice(1).forEach((item, index) => onTime(item.sent_at, index + 1));
  });

  it("escalates after after_seconds: the new approvers get links and can decide, the first keep theirs", async () => {
    const password = newPassword();
    const tech = await createUser(iamClient(host, await ownerToken(host, org)), {
      product_access: { agents: "technician" },
      password,
    });
    const techToken = async () => accessToken(host, await login(host, tech.email, password), "agents");
    const gate = await openGate(host, token, org.orgId, "Escalate", {
      approvers: [{ email: A }],
      escalation: { after_seconds: 1800, approvers: [{ email: BOSS }, { user_id: tech.id }] },
      timeout_seconds: 7200,
    });
    expect((await decideByApi(host, await techToken(), gate.executionId, "approve")).status).toBe(403);
    await advance(1790);
    expect(messagesOf(host, gate.executionId, BOSS)).toHaveLength(0);
    expect(messagesOf(host, gate.executionId, tech.email)).toHaveLength(0);

    await advance(10);
    expect(messagesOf(host, gate.executionId, BOSS)).toHaveLength(1);
    expect(messagesOf(host, gate.executionId, tech.email)).toHaveLength(1);
    expect((await fetch(linkFor(host, gate.executionId, A))).status).toBe(200);
    expect((await fetch(linkFor(host, gate.executionId, BOSS))).status).toBe(200);

    const byTech = await decideByApi(host, await techToken(), gate.executionId, "approve", "escalated to me");
    expect(byTech.status).toBe(200);
    await refresh();
    const done = await waitForStatus(host, token, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.steps[0]).toMatchObject({ status: "succeeded", decided_by: tech.id });
    const outputs = done.steps[0]!.outputs as { escalation: { added: string[] }; recipients: unknown[] };
    expect(outputs.escalation.added).toEqual([`email:${BOSS}`, tech.id]);
    expect(outputs.recipients).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          approver: `email:${BOSS}`,
          added_by: "escalation",
          resolved_from: ["email"],
        }),
        expect.objectContaining({ approver: tech.id, added_by: "escalation", resolved_from: ["user_id"] }),
      ]),
    );
    expect((await fetch(linkFor(host, gate.executionId, BOSS))).status).toBe(410);
  });

  it("keeps its schedule across a 7-day gate's chained timers, woken in between by an event that decides nothing", async () => {
    const gate = await openGate(host, token, org.orgId, "Week", {
      approvers: [{ email: A }],
      reminders: { every_seconds: 302_400, max: 1 },
      timeout_seconds: 604_800,
    });
    const raised = await fetch(
      `${host.url}/runtime/webhooks/durabletask/instances/${gate.executionId}/raiseEvent/approval:ask`,
      { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
    );
    expect(raised.status).toBe(202);
    await advance(302_390);
    expect(reminders(gate.executionId, A)).toHaveLength(0);
    await advance(10);
    expect(reminders(gate.executionId, A)).toHaveLength(1);
    await advance(302_390);
    await refresh();
    expect((await getExecution(host, owner, gate.executionId)).status).toBe("waiting_for_approval");
    await advance(10);
    await refresh();
    const done = await waitForStatus(host, token, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.steps[0]).toMatchObject({ status: "rejected", decided_by: "system:timeout" });
    expect(reminders(gate.executionId, A)).toHaveLength(1);
  });
});

// Approval gates v2 through HTTP: quorums, vetoes, concurrent decisions, and a decision event nobody recorded (docs/approvals.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { FakeProduct } from "../support/fake-product";
import { accessToken, createOrg, login } from "../support/identity";
import { bootWithFakePsa } from "../support/executions";
import {
  decideByLink,
  durableOf,
  getExecution,
  linkFor,
  openGate,
  waitForStatus,
} from "../support/approvals";

const A = "anna@example.com";
const B = "ben@example.com";
const PHONE = "+15550123";
const twoOfThree = { approvers: [{ email: A }, { email: B }, { phone: PHONE }], required_approvals: 2 };

describe("approval quorums", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let stop: () => Promise<void>;
  let admin = "";
  let orgId: string;
  const token = () => admin;

  beforeAll(async () => {
    ({ host, psa, stop } = await bootWithFakePsa());
    const org = await createOrg(host);
    orgId = org.orgId;
    admin = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
  });
  afterAll(() => stop());

  const ticketsOf = (executionId: string) =>
    psa.calls.filter((call) => call.headers["x-agent-execution-id"] === executionId);

  it("2 of 3: the first approval waits (the page says 1 of 2), the second resumes the execution", async () => {
    const gate = await openGate(host, token, orgId, "Quorum", twoOfThree);
    const page = await fetch(linkFor(host, gate.executionId, B));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("0 of 2 approved");

    const first = await decideByLink(linkFor(host, gate.executionId, A), "approve", "fine by me");
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("1 of 2 approved");
    await durableOf(host).idle();
    expect((await getExecution(host, admin, gate.executionId)).status).toBe("waiting_for_approval");
    expect(ticketsOf(gate.executionId)).toHaveLength(0);
    const again = await fetch(linkFor(host, gate.executionId, A));
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("You have already decided");
    expect(await (await fetch(linkFor(host, gate.executionId, B))).text()).toContain("1 of 2 approved");

    expect((await decideByLink(linkFor(host, gate.executionId, PHONE), "approve")).status).toBe(200);
    const done = await waitForStatus(host, token, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.steps[0]).toMatchObject({
      status: "succeeded",
      outcome: "approved",
      approvals: 2,
      rejections: 0,
      required_approvals: 2,
      decided_by: `phone:${PHONE}`,
      decisions: [
        { decision: "approve", decided_by: `email:${A}`, channel: "email_link", decision_note: "fine by me" },
        { decision: "approve", decided_by: `phone:${PHONE}`, channel: "sms_link" },
      ],
    });
    expect(ticketsOf(gate.executionId)).toHaveLength(1);
    expect((await decideByLink(linkFor(host, gate.executionId, B), "approve")).status).toBe(410);
  });

  it("one rejection vetoes, even after an approval", async () => {
    const gate = await openGate(host, token, orgId, "Veto", twoOfThree);
    expect((await decideByLink(linkFor(host, gate.executionId, A), "approve")).status).toBe(200);
    expect((await decideByLink(linkFor(host, gate.executionId, B), "reject", "not this one")).status).toBe(
      200,
    );
    const done = await waitForStatus(host, token, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.status).toBe("rejected");
    expect(done.steps[0]).toMatchObject({
      status: "rejected",
      outcome: "rejected",
      approvals: 1,
      rejections: 1,
      decided_by: `email:${B}`,
      decision_note: "not this one",
    });
    expect(done.steps[1]).toMatchObject({ step_id: "ticket", status: "skipped" });
    expect(ticketsOf(gate.executionId)).toHaveLength(0);
    expect((await decideByLink(linkFor(host, gate.executionId, PHONE), "approve")).status).toBe(410);
  });

  it("of 20 simultaneous approvals on a 2-of-3 gate exactly 2 are recorded and the execution resumes once", async () => {
    const gate = await openGate(host, token, orgId, "Crowd", twoOfThree);
    const links = [A, B, PHONE].map((to) => linkFor(host, gate.executionId, to));
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => decideByLink(links[i % 3]!, "approve", `crowd ${i}`)),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.filter((status) => status === 410)).toHaveLength(18);
    const done = await waitForStatus(host, token, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.steps[0]!.decisions).toHaveLength(2);
    expect(
      new Set((done.steps[0]!.decisions as { decided_by: string }[]).map((d) => d.decided_by)).size,
    ).toBe(2);
    expect(ticketsOf(gate.executionId)).toHaveLength(1);
  });

  it("a decision event raised straight through the Durable API decides nothing: only the record does", async () => {
    const gate = await openGate(host, token, orgId, "Forged", { approvers: [{ email: A }] });
    const raised = await fetch(
      `${host.url}/runtime/webhooks/durabletask/instances/${gate.executionId}/raiseEvent/approval:ask`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          decision: "approve",
          decided_by: "attacker",
          decided_at: new Date().toISOString(),
        }),
      },
    );
    expect(raised.status).toBe(202);
    await durableOf(host).idle();
    expect((await getExecution(host, admin, gate.executionId)).status).toBe("waiting_for_approval");
    expect(ticketsOf(gate.executionId)).toHaveLength(0);

    expect((await decideByLink(linkFor(host, gate.executionId, A), "reject")).status).toBe(200);
    const done = await waitForStatus(host, token, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.status).toBe("rejected");
    expect(done.steps[0]).toMatchObject({ decided_by: `email:${A}` });
  });
});

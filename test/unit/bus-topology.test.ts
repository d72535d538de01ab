// The One Bus topology: each subscription's filter as Service Bus SQL (for infra) and as the devhost evaluates it.
import { describe, expect, it } from "vitest";
import {
  everyEvent,
  matchesFilter,
  sqlFilter,
  theOneBus,
  theOneBusTrigger,
  typeIn,
} from "../../shared/bus/topology";

const filterOf = (name: string) => theOneBus.subscriptions.find((s) => s.name === name)!.filter;
const passes = (name: string, type: string) => matchesFilter(filterOf(name), { type, org_id: "o" });

describe("The One Bus topology", () => {
  it("is one topic named by the BUS_TOPIC setting", () => {
    expect(theOneBus.topic).toBe("%BUS_TOPIC%");
    expect(theOneBusTrigger("sessions")).toEqual({
      topicName: "%BUS_TOPIC%",
      subscriptionName: "sessions",
      connection: "ServiceBusConnection",
    });
  });

  it("gives sessions only deactivations and password changes, because only they end sessions", () => {
    expect(passes("sessions", "hub.iam.user_deactivated")).toBe(true);
    expect(passes("sessions", "hub.auth.password_changed")).toBe(true);
    expect(passes("sessions", "hub.iam.user_created")).toBe(false);
    expect(passes("sessions", "hub.auth.login_success")).toBe(false);
  });

  it("gives psa-sync the IAM changes that alter a PSA agent record, and not sign-ins", () => {
    for (const type of [
      "user_created",
      "access_granted",
      "access_revoked",
      "permission_changed",
      "user_deactivated",
    ])
      expect(passes("psa-sync", `hub.iam.${type}`)).toBe(true);
    expect(passes("psa-sync", "hub.auth.login_failed")).toBe(false);
  });

  it("gives agents every event, product events included", () => {
    expect(passes("agents", "psa.ticket.created")).toBe(true);
    expect(matchesFilter(filterOf("agents"), {})).toBe(true);
  });

  it("renders the SQL filter text infra deploys", () => {
    expect(sqlFilter(everyEvent)).toBe("1=1");
    expect(sqlFilter(filterOf("sessions"))).toBe(
      "user.type IN ('hub.iam.user_deactivated', 'hub.auth.password_changed')",
    );
    expect(sqlFilter(typeIn("o'brien"))).toBe("user.type IN ('o''brien')");
  });

  it("lets no message without a type through a type filter, as SQL's unknown is not true", () => {
    expect(matchesFilter(typeIn("a"), {})).toBe(false);
    expect(matchesFilter(typeIn("1"), { type: 1 })).toBe(false);
  });

  it("refuses an empty type list, which Service Bus SQL cannot express", () => {
    expect(() => typeIn()).toThrow(/at least one/);
  });
});

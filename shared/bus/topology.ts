// The One Bus as data: its topic and each consumer's subscription filter, followed by infra and the devhost alike.

/**
 * A subscription rule on the application property `type`: every message, or the messages whose type is in a list.
 * Service Bus evaluates the rendered SQL (`sqlFilter`); the devhost evaluates the same data (`matchesFilter`).
 */
export type SubscriptionFilter = { kind: "all" } | { kind: "types"; types: readonly string[] };

export const everyEvent: SubscriptionFilter = { kind: "all" };

export function typeIn(...types: string[]): SubscriptionFilter {
  if (types.length === 0) throw new Error("typeIn() needs at least one event type.");
  return { kind: "types", types };
}

export interface SubscriptionSpec {
  name: string;
  filter: SubscriptionFilter;
  /** Who consumes it and why, for the reader of infra and of the devhost's listing. */
  purpose: string;
}

export interface TopicTopology {
  /** A topic name, or a `%SETTING%` binding expression resolved from the app settings, as the host does. */
  topic: string;
  subscriptions: SubscriptionSpec[];
}

/** The app setting prefix of the Service Bus connection (`ServiceBusConnection__fullyQualifiedNamespace`). */
export const BUS_CONNECTION = "ServiceBusConnection";

export const theOneBus = {
  topic: "%BUS_TOPIC%",
  subscriptions: [
    {
      name: "sessions",
      filter: typeIn("hub.iam.user_deactivated", "hub.auth.password_changed"),
      purpose:
        "Revokes a deactivated user's sessions and tokens, and those a password change ended (docs/events.md).",
    },
    {
      name: "psa-sync",
      filter: typeIn(
        "hub.iam.user_created",
        "hub.iam.access_granted",
        "hub.iam.access_revoked",
        "hub.iam.permission_changed",
        "hub.iam.user_deactivated",
      ),
      purpose: "Keeps the PSA agent record of each user in step with Hub (docs/events.md).",
    },
    {
      name: "agents",
      filter: everyEvent,
      purpose: "Starts the executions of the agents whose trigger matches the event (docs/events.md).",
    },
  ],
} as const satisfies TopicTopology;

export type TheOneBusSubscription = (typeof theOneBus.subscriptions)[number]["name"];

/** The trigger options of a function that consumes one subscription of The One Bus. */
export function theOneBusTrigger(subscription: TheOneBusSubscription): {
  topicName: string;
  subscriptionName: string;
  connection: string;
} {
  return { topicName: theOneBus.topic, subscriptionName: subscription, connection: BUS_CONNECTION };
}

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The Service Bus SQL filter expression (`user.` scope = application properties). */
export function sqlFilter(filter: SubscriptionFilter): string {
  if (filter.kind === "all") return "1=1";
  return `user.type IN (${filter.types.map(sqlString).join(", ")})`;
}

/** Whether a message with these application properties passes the filter, as Service Bus would decide. */
export function matchesFilter(
  filter: SubscriptionFilter,
  applicationProperties: Record<string, unknown>,
): boolean {
  if (filter.kind === "all") return true;
  const type = applicationProperties.type;
  return typeof type === "string" && filter.types.includes(type);
}

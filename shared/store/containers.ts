// The Cosmos containers of database `hub`; every one is partitioned by /org_id (docs/auth.md).

const DAY = 24 * 60 * 60;

export interface ContainerSpec {
  /** Default TTL in seconds; -1 lets documents opt in with their own `ttl`. */
  defaultTtl?: number;
}

export const CONTAINERS = {
  /**
   * Orgs, users, the email index, sessions, lockouts, revocations and signing keys, and the outbox documents of
   * their events (an event waits in the partition of the change it describes: docs/events.md).
   */
  identity: { defaultTtl: -1 },
  /** Integration keys and their per-org lookups. */
  keys: {},
  /** Custom agents and each org's state of the system agents. */
  agents: {},
  /** Execution audit logs (90 days) and dedup records. */
  executions: { defaultTtl: 90 * DAY },
  /** Credit ledger entries (365 days). */
  ledger: { defaultTtl: 365 * DAY },
  /** Approval gates and their decisions. */
  approvals: { defaultTtl: -1 },
  /** Events that describe no document change of their own (the budget threshold), waiting to be relayed. */
  outbox: { defaultTtl: -1 },
  /** What the bus subscribers remember: event ids handled, malformed messages, each user's PSA sync state. */
  inbox: { defaultTtl: -1 },
} satisfies Record<string, ContainerSpec>;

export type ContainerName = keyof typeof CONTAINERS;

export const PARTITION_KEY_PATH = "/org_id";

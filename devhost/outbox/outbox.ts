// The devhost's notification outbox: every email and SMS the app "sent", with the links they carry (GET /dev/outbox).
import { randomUUID } from "node:crypto";
import { useLocalNotifier } from "../../shared/notify/notifier";
import type { Notification, Notifier, SentNotification } from "../../shared/notify/notification";
import type { DevHostExtension } from "../extension";
import { sendJson } from "../http/problem";

export interface OutboxMessage extends Notification {
  id: string;
  /** On the devhost's clock, so a test that moves it sees when a reminder went. */
  sent_at: string;
  /** Every URL in the text, for tests and people following decision links. */
  links: string[];
}

/**
 * Keeps every send, a repeated idempotency key included: ACS SMS does not dedupe (its tag is only a label), so the
 * outbox must not either, or it would hide a doubled text message that Azure would deliver.
 */
export class Outbox implements Notifier {
  private readonly messages: OutboxMessage[] = [];
  private nowMs: () => number = Date.now;

  /** The devhost's clock, once the host hands it over. */
  useClock(now: () => number): void {
    this.nowMs = now;
  }

  async send(notification: Notification): Promise<SentNotification> {
    const message: OutboxMessage = {
      ...notification,
      id: randomUUID(),
      sent_at: new Date(this.nowMs()).toISOString(),
      links: notification.text.match(/https?:\/\/[^\s<>"]+/g) ?? [],
    };
    this.messages.push(message);
    return { id: message.id };
  }

  list(filter: { to?: string } = {}): OutboxMessage[] {
    return this.messages.filter((message) => !filter.to || message.to === filter.to);
  }
}

export function outboxExtension(): DevHostExtension<Outbox> {
  const outbox = new Outbox();
  return {
    name: "outbox",
    beforeLoad(context) {
      outbox.useClock(() => context.clock.now());
      useLocalNotifier(outbox);
      context.addRoute(async (req, res, url) => {
        if (url.pathname !== "/dev/outbox" || req.method !== "GET") return false;
        sendJson(res, 200, { items: outbox.list({ to: url.searchParams.get("to") ?? undefined }) });
        return true;
      });
    },
    start: async () => outbox,
  };
}

// What the app sends to people: an email or an SMS, with an idempotency key so a repeated activity sends once.

export type Channel = "email" | "sms";

export interface Notification {
  channel: Channel;
  /** An email address or an E.164 phone number. */
  to: string;
  /** Email only. */
  subject?: string;
  text: string;
  /** Email only: an HTML alternative to `text`. */
  html?: string;
  org_id: string;
  /** Same key → same message: adapters pass it on where the service dedupes (ACS operation id). */
  idempotency_key: string;
}

export interface SentNotification {
  id: string;
}

export interface Notifier {
  send(notification: Notification): Promise<SentNotification>;
}

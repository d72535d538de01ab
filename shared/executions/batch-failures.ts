// What went wrong in one batch of the fan-out: a transient failure gets the whole batch redelivered once the rest
// of it was worked; any other failure belongs to its message alone and is logged (docs/events.md, "Delivery").
import { describeError } from "../errors";
import type { LogFields, Logger } from "../log";
import { isTransientFailure } from "./transient-failure";

export class BatchFailures {
  private readonly transient: unknown[] = [];

  constructor(private readonly log: Logger) {}

  /** Runs the work of one message (or one agent of it); what it throws is noted, never passed on. */
  async guard(fields: LogFields, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.note(error, fields);
    }
  }

  note(error: unknown, fields: LogFields): void {
    if (isTransientFailure(error)) {
      this.transient.push(error);
      this.log.warn("fan-out interrupted; the batch will be redelivered", {
        ...fields,
        error: describeError(error),
      });
    } else {
      this.log.error("fan-out failed for this event; the rest of its batch goes on", {
        ...fields,
        error: describeError(error),
      });
    }
  }

  /**
   * Throws the first transient failure, if any: the invocation fails and Service Bus redelivers the whole batch,
   * where dedup makes what was already claimed or started here start nothing twice.
   */
  throwIfTransient(messages: number): void {
    if (this.transient.length === 0) return;
    this.log.warn("batch abandoned for redelivery", { messages, transient_failures: this.transient.length });
    throw this.transient[0];
  }
}

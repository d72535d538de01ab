// The devhost's Durable engine: instances, their inboxes, and the operations of the durable client.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { InstanceWatchers } from "./watchers";
import type { MovableClock } from "../clock";
import type { FunctionRegistry } from "../core/registry";
import type { FailureDetails, HistoryEvent } from "./history";
import { EventType, historyEvent, toJsonText } from "./history";
import type { EpisodeCore } from "./episode";
import { runEpisode } from "./episode";
import type { Instance, ParentLink, RuntimeStatus } from "./instance";
import { TERMINAL_STATUSES, newInstance, resetExecution } from "./instance";
import { failureDetailsOf, functionOfType } from "./invoke";
import {
  executionCompleted,
  executionFailed,
  executionStarted,
  parentNotice,
  terminationReason,
} from "./outcome";
import type { StartResult } from "./schedule";
import { TimerQueue } from "./timers";

export type ClientAnswer = "accepted" | "not_found" | "gone";

export interface InstanceFilter {
  createdFromMs?: number;
  createdToMs?: number;
  statuses?: RuntimeStatus[];
}

const CONTROL_EVENTS: ReadonlySet<number> = new Set([
  EventType.ExecutionTerminated,
  EventType.ExecutionResumed,
]);

export class DurableEngine implements EpisodeCore {
  readonly instances = new Map<string, Instance>();
  readonly timers: TimerQueue;
  private readonly events = new EventEmitter();
  private readonly watchers = new InstanceWatchers<Instance>();
  private readonly pumping = new Set<Instance>();
  private busy = 0;
  private stopped = false;

  constructor(
    readonly registry: FunctionRegistry,
    private readonly clock: MovableClock,
    /** 2 in at-least-once mode: every activity runs twice, the second result kept (schedule.ts). */
    readonly activityRuns: number = 1,
  ) {
    this.timers = new TimerQueue(clock);
    this.events.setMaxListeners(0);
  }

  now(): number {
    return this.clock.now();
  }

  // ---- the durable client's operations -------------------------------------------------------------------

  /** A running (or pending, suspended) instance id conflicts; a finished one is replaced, as in Durable. */
  startOrchestration(
    name: string,
    options: { instanceId?: string; input?: string; parent?: ParentLink } = {},
  ): StartResult {
    const fn = functionOfType(this.registry, name, "orchestrationTrigger");
    if (!fn) {
      const message = `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`;
      return { ok: false, code: "not_found", message };
    }
    const instanceId = options.instanceId ?? randomUUID().replaceAll("-", "");
    const existing = this.instances.get(instanceId);
    if (existing && !TERMINAL_STATUSES.has(existing.status)) {
      const message = `An Orchestration instance with the status ${existing.status} already exists.`;
      return { ok: false, code: "conflict", message };
    }
    if (existing) resetExecution(existing);
    const now = this.now();
    const instance = newInstance({
      instanceId,
      name: fn.metadata.name,
      executionId: randomUUID(),
      input: options.input,
      nowMs: now,
      parent: options.parent,
    });
    this.instances.set(instanceId, instance);
    this.deliver(instance, executionStarted(instance, now));
    this.changed(instance);
    return { ok: true, instanceId };
  }

  raiseEvent(instanceId: string, eventName: string, input: string | undefined): ClientAnswer {
    return this.control(
      instanceId,
      historyEvent(EventType.EventRaised, this.now(), { Name: eventName, Input: input }),
    );
  }

  terminate(instanceId: string, reason: string | undefined): ClientAnswer {
    return this.control(
      instanceId,
      historyEvent(EventType.ExecutionTerminated, this.now(), { Input: toJsonText(reason) }),
    );
  }

  suspend(instanceId: string, reason: string | undefined): ClientAnswer {
    return this.control(
      instanceId,
      historyEvent(EventType.ExecutionSuspended, this.now(), { Reason: reason }),
    );
  }

  resume(instanceId: string, reason: string | undefined): ClientAnswer {
    return this.control(instanceId, historyEvent(EventType.ExecutionResumed, this.now(), { Reason: reason }));
  }

  /** Only finished instances are purged (Completed, Failed, Terminated), as the Durable docs require. */
  purge(instanceId: string): boolean {
    const instance = this.instances.get(instanceId);
    if (!instance || !TERMINAL_STATUSES.has(instance.status)) return false;
    this.instances.delete(instanceId);
    return true;
  }

  purgeWhere(filter: InstanceFilter): number {
    const doomed = this.query(filter).filter((instance) => TERMINAL_STATUSES.has(instance.status));
    for (const instance of doomed) this.instances.delete(instance.instanceId);
    return doomed.length;
  }

  query(filter: InstanceFilter): Instance[] {
    return [...this.instances.values()].filter(
      (instance) =>
        (filter.createdFromMs === undefined || instance.createdMs >= filter.createdFromMs) &&
        (filter.createdToMs === undefined || instance.createdMs <= filter.createdToMs) &&
        (!filter.statuses?.length || filter.statuses.includes(instance.status)),
    );
  }

  // ---- notifications -------------------------------------------------------------------------------------

  /** Calls `listener` after every change of the instance `instanceId` (including its start). */
  onChange(instanceId: string, listener: (instance: Instance) => void): () => void {
    return this.watchers.watch(instanceId, listener);
  }

  /**
   * Resolves once no episode, activity or start is in flight and no timer is due (timers due later and events
   * nobody raised yet don't count).
   */
  idle(): Promise<void> {
    const quiet = () => this.busy === 0 && (this.stopped || !this.timers.hasDue());
    return new Promise((resolve) => {
      const check = () => {
        if (!quiet()) return this.events.once("idle", check);
        setImmediate(() => (quiet() ? resolve() : this.events.once("idle", check)));
      };
      check();
    });
  }

  /** Starts nothing more, and lets the activities already running finish (for at most `graceMs`). */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    this.timers.stop();
    for (const instance of this.instances.values()) resetExecution(instance);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise((resolve) => (timeout = setTimeout(resolve, graceMs)))]);
    clearTimeout(timeout);
  }

  track(work: Promise<unknown>): void {
    this.busy++;
    work
      .catch((error: unknown) => console.error("[devhost] durable engine error", error))
      .finally(() => {
        this.busy--;
        if (this.busy === 0) this.events.emit("idle");
      });
  }

  // ---- inboxes and episodes ------------------------------------------------------------------------------

  deliverTo(instanceId: string, executionId: string, event: HistoryEvent): void {
    const instance = this.instances.get(instanceId);
    if (instance && instance.executionId === executionId) this.deliver(instance, event, executionId);
  }

  private control(instanceId: string, event: HistoryEvent): ClientAnswer {
    const instance = this.instances.get(instanceId);
    if (!instance) return "not_found";
    if (TERMINAL_STATUSES.has(instance.status)) return "gone";
    this.deliver(instance, event);
    return "accepted";
  }

  private deliver(instance: Instance, event: HistoryEvent, executionId?: string): void {
    if (this.stopped) return;
    instance.inbox.push({ event, executionId });
    this.ensurePump(instance);
  }

  /** One pump per instance at a time, so its episodes never overlap; activities run alongside. */
  private ensurePump(instance: Instance): void {
    if (this.stopped || this.pumping.has(instance) || !this.hasWork(instance)) return;
    this.pumping.add(instance);
    this.track(
      new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.pump(instance))
        .finally(() => {
          this.pumping.delete(instance);
          // A message that arrived while the pump was winding down still needs a pump.
          this.ensurePump(instance);
        }),
    );
  }

  private hasWork(instance: Instance): boolean {
    if (this.instances.get(instance.instanceId) !== instance) return false;
    if (instance.status !== "Suspended") return instance.inbox.length > 0;
    return instance.inbox.some((message) => CONTROL_EVENTS.has(message.event.EventType));
  }

  private async pump(instance: Instance): Promise<void> {
    while (!this.stopped && this.hasWork(instance)) {
      const index =
        instance.status === "Suspended"
          ? instance.inbox.findIndex((message) => CONTROL_EVENTS.has(message.event.EventType))
          : 0;
      const [message] = instance.inbox.splice(index, 1);
      const { event, executionId } = message!;
      if (executionId !== undefined && executionId !== instance.executionId) continue;
      if (TERMINAL_STATUSES.has(instance.status)) continue;
      try {
        await this.process(instance, event);
      } catch (error) {
        this.fail(instance, "The devhost's Durable engine failed", failureDetailsOf(error));
      }
      this.changed(instance);
    }
  }

  private async process(instance: Instance, event: HistoryEvent): Promise<void> {
    switch (event.EventType) {
      case EventType.ExecutionTerminated:
        return this.end(instance, "Terminated", terminationReason(event.Input), event);
      case EventType.ExecutionSuspended:
        if (instance.status === "Running" || instance.status === "Pending") instance.status = "Suspended";
        instance.history.push(event);
        return;
      case EventType.ExecutionResumed:
        if (instance.status === "Suspended") instance.status = "Running";
        instance.history.push(event);
        return;
      default:
        return runEpisode(this, instance, event);
    }
  }

  // ---- how executions end --------------------------------------------------------------------------------

  complete(instance: Instance, output: unknown): void {
    this.end(instance, "Completed", output ?? null, executionCompleted(output, this.now()));
  }

  fail(instance: Instance, message: string, failure: FailureDetails): void {
    const { output, event } = executionFailed(instance.name, message, failure, this.now());
    this.end(instance, "Failed", output, event);
  }

  /** New execution, same id; unprocessed events are dropped (ContinueAsNew's preserveUnprocessedEvents=false). */
  continueAsNew(instance: Instance, input: unknown): void {
    resetExecution(instance);
    instance.executionId = randomUUID();
    instance.input = input === undefined ? undefined : toJsonText(input);
    instance.history = [];
    instance.status = "ContinuedAsNew";
    instance.inbox.unshift({ event: executionStarted(instance, this.now()) });
  }

  private end(instance: Instance, status: RuntimeStatus, output: unknown, closing: HistoryEvent): void {
    resetExecution(instance);
    instance.history.push(closing);
    instance.status = status;
    instance.output = output;
    instance.lastUpdatedMs = this.now();
    const notice = parentNotice(instance, status, closing, this.now());
    if (notice) this.deliverTo(instance.parent!.instanceId, instance.parent!.executionId, notice);
  }

  private changed(instance: Instance): void {
    this.watchers.tell(instance.instanceId, instance);
  }
}

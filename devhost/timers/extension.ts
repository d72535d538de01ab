// The devhost's timer triggers: each app.timer on its NCRONTAB schedule, in real time and when tests move the clock.
import { resolveBindingExpression } from "../core/binding-expressions";
import { invokeFunction } from "../core/invoke";
import type { RegisteredFunction } from "../core/registry";
import type { DevHostExtension, ExtensionContext } from "../extension";
import type { Schedule } from "./schedule";
import { parseSchedule } from "./schedule";
import type { ScheduleStatus } from "./timer-input";
import { timerInvocation } from "./timer-input";

/** What tests get as `host.services.timers`. */
export interface TimersHandle {
  /** Runs the function now (as the host's admin endpoint does); rejects when it fails. */
  fire(name: string): Promise<void>;
  /** Resolves once no timer function is running or waiting to run. */
  idle(): Promise<void>;
  schedules(): { name: string; schedule: string; next: string | undefined }[];
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface Timer {
  name: string;
  triggerName: string;
  schedule: Schedule;
  status: ScheduleStatus;
  timeout?: NodeJS.Timeout;
  running?: Promise<void>;
  /** An occurrence that came due while the previous run was still going: the host runs it after, never alongside. */
  queued?: { isPastDue: boolean };
}

export function timersExtension(): DevHostExtension<TimersHandle> {
  const timers = new Map<string, Timer>();
  const idleWaiters: (() => void)[] = [];
  let stopListening: (() => void) | undefined;
  let stopped = false;
  let print: (line: string) => void = () => undefined;

  const isIdle = () => [...timers.values()].every((t) => !t.running && !t.queued);
  const checkIdle = () => {
    if (!isIdle()) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  function run(timer: Timer, isPastDue: boolean): Promise<void> {
    const started = invokeFunction(timer.name, timerInvocation(timer.triggerName, timer.status, isPastDue));
    const running = started.then(() => undefined);
    timer.running = running.then(
      () => undefined,
      (error: unknown) => print(`[devhost] timer: ${timer.name} failed: ${String(error)}`),
    );
    void timer.running.finally(() => {
      timer.running = undefined;
      const queued = timer.queued;
      timer.queued = undefined;
      if (queued && !stopped) void run(timer, queued.isPastDue);
      checkIdle();
    });
    return running;
  }

  /** A scheduled occurrence is due: record it, compute the next one, and run (or queue behind a running one). */
  function occur(timer: Timer, nowMs: number, isPastDue: boolean): void {
    const due = timer.status.next;
    if (timer.running) timer.queued = { isPastDue };
    else void run(timer, isPastDue);
    timer.status = { last: due, next: timer.schedule.next(new Date(nowMs)), lastUpdated: new Date(nowMs) };
  }

  function arm(timer: Timer, nowMs: () => number): void {
    clearTimeout(timer.timeout);
    if (stopped || !timer.status.next) return;
    const delay = Math.min(Math.max(timer.status.next.getTime() - nowMs(), 0), MAX_TIMEOUT_MS);
    timer.timeout = setTimeout(() => {
      if (timer.status.next && timer.status.next.getTime() <= nowMs()) occur(timer, nowMs(), false);
      arm(timer, nowMs);
    }, delay);
  }

  function register(fn: RegisteredFunction, nowMs: number): Timer {
    const where = `Function "${fn.metadata.name}"`;
    const binding = fn.trigger.binding as { schedule?: string };
    const schedule = parseSchedule(resolveBindingExpression(binding.schedule ?? "", where), where);
    const next = schedule.next(new Date(nowMs));
    return {
      name: fn.metadata.name,
      triggerName: fn.trigger.name,
      schedule,
      status: { last: undefined, next, lastUpdated: new Date(nowMs) },
    };
  }

  return {
    name: "timers",
    async start(context: ExtensionContext) {
      if (context.options.printLogs) print = context.print;
      const nowMs = () => context.clock.now();
      const functions = context.registry.byTriggerType("timerTrigger");
      // Parse every schedule before running any, so a bad one fails the start with nothing half-started.
      for (const fn of functions) timers.set(fn.metadata.name, register(fn, nowMs()));
      for (const timer of timers.values()) arm(timer, nowMs);
      // Moving the clock past an occurrence fires it once, as the host fires a missed schedule: past due.
      stopListening = context.clock.onAdvance(() => {
        for (const timer of timers.values()) {
          if (timer.status.next && timer.status.next.getTime() <= nowMs()) occur(timer, nowMs(), true);
          arm(timer, nowMs);
        }
      });
      for (const fn of functions) {
        if ((fn.trigger.binding as { runOnStartup?: boolean }).runOnStartup)
          void run(timers.get(fn.metadata.name)!, false).catch(() => undefined);
      }
      return {
        fire: async (name) => {
          const timer = timers.get(name);
          if (!timer) throw new Error(`No timer function named "${name}".`);
          await timer.running;
          await run(timer, false);
        },
        idle: () =>
          isIdle() ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)),
        schedules: () =>
          [...timers.values()].map((t) => ({
            name: t.name,
            schedule: t.schedule.expression,
            next: t.status.next?.toISOString(),
          })),
      };
    },
    async stop() {
      stopped = true;
      stopListening?.();
      for (const timer of timers.values()) clearTimeout(timer.timeout);
      await Promise.all([...timers.values()].map((timer) => timer.running));
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
  };
}

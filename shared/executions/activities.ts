// The execution's activities: everything that touches the world. Each is safe to run again after a crash.
import { now } from "../clock";
import { notificationProblem } from "../notify/addresses";
import { sendNotification } from "../notify/notifier";
import { findProductAction } from "../products/catalogue";
import { productRequest, resolvedParamsSchema } from "../products/params";
import type { ProductCall, ProductSlug } from "../products/product-api";
import {
  callProductApi,
  productCallHeaders,
  productCallUrl,
  ProductCallError,
} from "../products/product-api";
import { toFieldIssues } from "../http/validation";
import type {
  FinishInput,
  NotifyInput,
  NotifyOutput,
  ProductActionInput,
  ProductActionOutput,
  RecordStepInput,
  RenderedProductAction,
} from "./contract";
import { chargeId, ledger } from "./credits";
import { settleReservation } from "./budget";
import type { ExecutionDoc } from "./model";
import { executionDocs } from "./model";

const MAX_OUTPUT_CHARS = 32_000;

/** One key per step of one execution: a re-run of the activity, or a retry after a 5xx, carries the same key. */
export const productIdempotencyKey = (executionId: string, stepId: string): string =>
  `${executionId}:${stepId}`;

/** Product answers go into the audit log; a huge one is cut rather than make the document too large. */
function boundedOutput(body: unknown): unknown {
  const text = JSON.stringify(body ?? null);
  return text.length <= MAX_OUTPUT_CHARS
    ? body
    : { truncated: true, preview: text.slice(0, MAX_OUTPUT_CHARS) };
}

/** The call a product step makes, from its rendered params (checked as the product will receive them). */
function productCallOf(input: ProductActionInput): ProductCall {
  const action = findProductAction(input.product, input.action);
  if (!action) throw new Error(`unknown action ${input.product}.${input.action}`);
  const parsed = resolvedParamsSchema(action).safeParse(input.params);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error, "params").map((issue) => `${issue.path}: ${issue.message}`);
    throw new Error(`invalid params after templating: ${issues.join("; ")}`);
  }
  const request = productRequest(action, parsed.data);
  return {
    product: input.product as ProductSlug,
    method: request.method,
    path: request.path,
    body: request.body,
    orgId: input.org_id,
    executionId: input.execution_id,
    idempotencyKey: productIdempotencyKey(input.execution_id, input.step_id),
  };
}

/** A dry run's product step: everything a live call would do up to sending it (docs/executions.md, "Dry runs"). */
export async function renderProductAction(input: ProductActionInput): Promise<RenderedProductAction> {
  const started_at = now().toISOString();
  const call = productCallOf(input);
  return {
    request: {
      method: call.method,
      url: productCallUrl(call),
      headers: productCallHeaders(call),
      body: call.body,
    },
    started_at,
    completed_at: now().toISOString(),
  };
}

export async function runProductAction(input: ProductActionInput): Promise<ProductActionOutput> {
  const started_at = now().toISOString();
  const call = productCallOf(input);
  try {
    const response = await callProductApi(call);
    return {
      status: response.status,
      body: boundedOutput(response.body),
      attempts: response.attempts,
      started_at,
      completed_at: now().toISOString(),
    };
  } catch (error) {
    if (error instanceof ProductCallError) {
      const detail = error.body === null ? "" : `: ${JSON.stringify(error.body).slice(0, 500)}`;
      throw new Error(`${error.message}${detail}`);
    }
    throw error;
  }
}

export async function notifyRecipients(input: NotifyInput): Promise<NotifyOutput> {
  const started_at = now().toISOString();
  // Checked as a whole before anything is sent, so a bad recipient never leaves the others half-notified.
  const problem = notificationProblem(input);
  if (problem) throw new Error(`nothing sent: ${problem}`);
  const sent: NotifyOutput["sent"] = [];
  for (const to of input.to) {
    const result = await sendNotification({
      channel: input.channel,
      to,
      subject: input.subject,
      text: input.message,
      org_id: input.org_id,
      idempotency_key: `${input.execution_id}:${input.step_id}:${to}`,
    });
    sent.push({ to, id: result.id });
  }
  return { sent, started_at, completed_at: now().toISOString() };
}

/**
 * One patch per step: the step's slot in the pre-listed steps, the context, the status and the running credit
 * total. Every value is set (never incremented), so recording the same step again after a crash changes nothing.
 */
export async function recordStep(input: RecordStepInput): Promise<void> {
  const { trace } = input;
  const updated = await executionDocs.patch(input.org_id, input.execution_id, [
    { op: "set", path: `/steps/${input.step_index}`, value: trace },
    { op: "set", path: "/context", value: input.context },
    { op: "set", path: "/status", value: input.status },
    { op: "set", path: "/credits_used", value: input.credits_used },
  ]);
  if (!updated) throw new Error(`execution ${input.execution_id} has no audit document`);
  await keepCancelled(updated);
  // The trace decides the charge, so the two always agree: a decided gate (approved or rejected) costs its price,
  // a failed or skipped step costs nothing.
  if (trace.credits_used <= 0) return;
  const chargedAt = trace.completed_at ?? now().toISOString();
  await ledger.createIfAbsent({
    id: chargeId(input.execution_id, trace.step_id),
    org_id: input.org_id,
    kind: "charge",
    execution_id: input.execution_id,
    agent_id: input.agent_id,
    step_id: trace.step_id,
    step_type: trace.type,
    credits: trace.credits_used,
    charged_at: chargedAt,
    day: chargedAt.slice(0, 10),
  });
}

/**
 * A step that was already under way when an Admin cancelled lands after the cancel: its trace stands (it did
 * happen), but the execution stays cancelled.
 */
async function keepCancelled(doc: ExecutionDoc): Promise<void> {
  if (doc.cancelled_at && doc.status !== "cancelled")
    await executionDocs.patch(doc.org_id, doc.execution_id, [
      { op: "set", path: "/status", value: "cancelled" },
    ]);
}

export async function finishExecution(input: FinishInput): Promise<void> {
  // The budget first, so an execution that shows a final status has settled its credits.
  if (input.budget)
    await settleReservation(input.org_id, input.execution_id, input.budget, input.credits_used ?? 0);
  const updated = await executionDocs.patch(input.org_id, input.execution_id, [
    { op: "set", path: "/status", value: input.status },
    { op: "set", path: "/completed_at", value: input.completed_at },
    ...(input.error ? [{ op: "set" as const, path: "/error", value: input.error }] : []),
  ]);
  if (!updated) throw new Error(`execution ${input.execution_id} has no audit document`);
  await keepCancelled(updated);
}

// The execution's activities: everything that touches the world. Each is safe to run again after a crash.
import { now } from "../clock";
import { sendNotification } from "../notify/notifier";
import { findProductAction } from "../products/catalogue";
import { productRequest, resolvedParamsSchema } from "../products/params";
import type { ProductSlug } from "../products/product-api";
import { callProductApi, ProductCallError } from "../products/product-api";
import { toFieldIssues } from "../http/validation";
import type {
  FinishInput,
  NotifyInput,
  NotifyOutput,
  ProductActionInput,
  ProductActionOutput,
  RecordStepInput,
} from "./contract";
import { chargeId, ledger } from "./credits";
import type { ExecutionDoc } from "./model";
import { executionDocs } from "./model";

const MAX_OUTPUT_CHARS = 32_000;

/** Product answers go into the audit log; a huge one is cut rather than make the document too large. */
function boundedOutput(body: unknown): unknown {
  const text = JSON.stringify(body ?? null);
  return text.length <= MAX_OUTPUT_CHARS
    ? body
    : { truncated: true, preview: text.slice(0, MAX_OUTPUT_CHARS) };
}

export async function runProductAction(input: ProductActionInput): Promise<ProductActionOutput> {
  const started_at = now().toISOString();
  const action = findProductAction(input.product, input.action);
  if (!action) throw new Error(`unknown action ${input.product}.${input.action}`);
  const parsed = resolvedParamsSchema(action).safeParse(input.params);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error, "params").map((issue) => `${issue.path}: ${issue.message}`);
    throw new Error(`invalid params after templating: ${issues.join("; ")}`);
  }
  const request = productRequest(action, parsed.data);
  try {
    const response = await callProductApi({
      product: input.product as ProductSlug,
      method: request.method,
      path: request.path,
      body: request.body,
      orgId: input.org_id,
      executionId: input.execution_id,
    });
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

/** Read-modify-write of the audit document; the orchestration is its only writer, the etag guards the rest. */
async function updateExecution(
  orgId: string,
  executionId: string,
  change: (doc: ExecutionDoc) => void,
): Promise<ExecutionDoc> {
  for (let attempt = 0; ; attempt++) {
    const doc = await executionDocs.read(orgId, executionId);
    if (!doc) throw new Error(`execution ${executionId} has no audit document`);
    change(doc);
    try {
      return await executionDocs.replace(doc, doc._etag);
    } catch (error) {
      if (attempt >= 3 || (error as { code?: string }).code !== "precondition.failed") throw error;
    }
  }
}

export async function recordStep(input: RecordStepInput): Promise<void> {
  const doc = await updateExecution(input.org_id, input.execution_id, (doc) => {
    const index = doc.steps.findIndex((step) => step.step_id === input.trace.step_id);
    if (index === -1) doc.steps.push(input.trace);
    else doc.steps[index] = input.trace;
    doc.context = input.context;
    doc.status = input.status;
    doc.credits_used = doc.steps.reduce(
      (sum, step) => sum + (step.status === "succeeded" ? step.credits_used : 0),
      0,
    );
  });
  const { trace } = input;
  if (trace.status !== "succeeded" || trace.credits_used <= 0) return;
  const chargedAt = trace.completed_at ?? now().toISOString();
  await ledger.createIfAbsent({
    id: chargeId(input.execution_id, trace.step_id),
    org_id: input.org_id,
    kind: "charge",
    execution_id: input.execution_id,
    agent_id: doc.agent_id,
    step_id: trace.step_id,
    step_type: trace.type,
    credits: trace.credits_used,
    charged_at: chargedAt,
    day: chargedAt.slice(0, 10),
  });
}

export async function finishExecution(input: FinishInput): Promise<void> {
  await updateExecution(input.org_id, input.execution_id, (doc) => {
    doc.status = input.status;
    doc.completed_at = input.completed_at;
    if (input.error) doc.error = input.error;
  });
}

// The agent execution orchestration and its activities (docs/executions.md); the logic lives in shared/executions.
import * as df from "durable-functions";
import {
  finishExecution,
  notifyRecipients,
  recordStep,
  renderProductAction,
  runProductAction,
} from "../shared/executions/activities";
import type {
  FinishInput,
  NotifyInput,
  ProductActionInput,
  RecordStepInput,
} from "../shared/executions/contract";
import { ACTIVITY, ORCHESTRATION } from "../shared/executions/contract";
import { agentExecution } from "../shared/executions/orchestrator";
import { closeApprovalGate, readGateDecision } from "../shared/approvals/decide";
import { escalateGate, remindApprovers } from "../shared/approvals/follow-up";
import type { OpenGateInput } from "../shared/approvals/open-gate";
import { openApprovalGate } from "../shared/approvals/open-gate";

df.app.orchestration(ORCHESTRATION, agentExecution);

df.app.activity(ACTIVITY.productAction, { handler: (input: ProductActionInput) => runProductAction(input) });
df.app.activity(ACTIVITY.renderProductAction, {
  handler: (input: ProductActionInput) => renderProductAction(input),
});
df.app.activity(ACTIVITY.notify, { handler: (input: NotifyInput) => notifyRecipients(input) });
df.app.activity(ACTIVITY.recordStep, { handler: (input: RecordStepInput) => recordStep(input) });
df.app.activity(ACTIVITY.finish, { handler: (input: FinishInput) => finishExecution(input) });
df.app.activity(ACTIVITY.openGate, { handler: (input: OpenGateInput) => openApprovalGate(input) });
type GateRef = { org_id: string; approval_id: string };
df.app.activity(ACTIVITY.closeGate, { handler: (input: GateRef) => closeApprovalGate(input) });
df.app.activity(ACTIVITY.readGate, { handler: (input: GateRef) => readGateDecision(input) });
df.app.activity(ACTIVITY.remindApprovers, {
  handler: (input: Parameters<typeof remindApprovers>[0]) => remindApprovers(input),
});
df.app.activity(ACTIVITY.escalateGate, {
  handler: (input: Parameters<typeof escalateGate>[0]) => escalateGate(input),
});

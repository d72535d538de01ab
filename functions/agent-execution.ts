// The agent execution orchestration and its activities (docs/executions.md); the logic lives in shared/executions.
import * as df from "durable-functions";
import {
  finishExecution,
  notifyRecipients,
  recordStep,
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
import { closeApprovalGate } from "../shared/approvals/decide";
import type { OpenGateInput } from "../shared/approvals/open-gate";
import { openApprovalGate } from "../shared/approvals/open-gate";

df.app.orchestration(ORCHESTRATION, agentExecution);

df.app.activity(ACTIVITY.productAction, { handler: (input: ProductActionInput) => runProductAction(input) });
df.app.activity(ACTIVITY.notify, { handler: (input: NotifyInput) => notifyRecipients(input) });
df.app.activity(ACTIVITY.recordStep, { handler: (input: RecordStepInput) => recordStep(input) });
df.app.activity(ACTIVITY.finish, { handler: (input: FinishInput) => finishExecution(input) });
df.app.activity(ACTIVITY.openGate, { handler: (input: OpenGateInput) => openApprovalGate(input) });
df.app.activity(ACTIVITY.closeGate, {
  handler: (input: { org_id: string; approval_id: string }) => closeApprovalGate(input),
});

// The four step types of an agent (docs/agents.md), with limits on every field and templates checked where they may appear.
import { z } from "zod";
import { userIdSchema } from "../identity/model";
import { findProductAction, PRODUCT_ACTIONS } from "../products/catalogue";
import { definitionParamsSchema } from "../products/params";
import { EMAIL, PHONE, isRecipient } from "../notify/addresses";
import { whenSchema } from "./conditions";
import { isReservedName } from "./paths";
import { onceValid } from "./refine";
import { inspectTemplates } from "./templates";

export const STEP_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CONTEXT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

type Ctx = z.RefinementCtx;

/** Adds an issue for each malformed template in `text`, at `path`. */
export function checkTemplates(text: string, path: PropertyKey[], ctx: Ctx): void {
  for (const message of inspectTemplates(text).problems) ctx.addIssue({ code: "custom", path, message });
}

/** Text that may hold `{{trigger.…}}`/`{{context.…}}` templates (a text already too long is not scanned). */
const templatedText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((text, ctx) => {
      if (text.length <= max) checkTemplates(text, [], ctx);
    });

const common = {
  id: z.string().max(64).regex(STEP_ID, "must be 1–64 letters, digits, '_' or '-'"),
  when: whenSchema.optional(),
};

const productActionStep = z
  .strictObject({
    ...common,
    type: z.literal("product_action"),
    product: z.string().min(1).max(64),
    action: z.string().min(1).max(64),
    params: z.record(z.string().max(64), z.unknown()).default({}),
    save_as: z
      .string()
      .regex(CONTEXT_NAME, "must be an identifier (letters, digits, '_')")
      .refine((name) => !isReservedName(name), "is a reserved name (__proto__, prototype, constructor)")
      .optional(),
  })
  .superRefine((step, ctx) => {
    const action = findProductAction(step.product, step.action);
    if (!action) {
      const known = PRODUCT_ACTIONS.filter((entry) => entry.product === step.product).map((e) => e.action);
      ctx.addIssue({
        code: "custom",
        path: known.length ? ["action"] : ["product"],
        message: known.length
          ? `unknown action of ${step.product}; known: ${known.join(", ")}`
          : `unknown product; known: ${[...new Set(PRODUCT_ACTIONS.map((e) => e.product))].join(", ")}`,
      });
      return;
    }
    const result = definitionParamsSchema(action).safeParse(step.params);
    for (const issue of result.success ? [] : result.error.issues)
      ctx.addIssue({ code: "custom", path: ["params", ...issue.path], message: issue.message });
    for (const [name, value] of Object.entries(step.params)) {
      if (typeof value === "string") checkTemplates(value, ["params", name], ctx);
      if (Array.isArray(value))
        value.forEach((item, index) => {
          if (typeof item === "string") checkTemplates(item, ["params", name, index], ctx);
        });
    }
  }, onceValid);

/** A recipient is a literal address of the channel's kind, or text built from templates. */
const notificationStep = z
  .strictObject({
    ...common,
    type: z.literal("notification"),
    channel: z.enum(["email", "sms"]),
    to: z.array(templatedText(254)).min(1).max(20),
    subject: templatedText(200).optional(),
    message: templatedText(4000),
  })
  .superRefine((step, ctx) => {
    step.to.forEach((recipient, index) => {
      if (recipient.includes("{{")) return;
      if (!isRecipient(step.channel, recipient))
        ctx.addIssue({
          code: "custom",
          path: ["to", index],
          message: step.channel === "email" ? "must be an email address" : "must be an E.164 phone number",
        });
    });
    if (step.channel === "sms" && step.subject !== undefined)
      ctx.addIssue({ code: "custom", path: ["subject"], message: "an SMS has no subject" });
  }, onceValid);

/**
 * Approvers are literal on purpose: a template would let the event's sender choose who approves.
 * One object with one of five fields (not a union), so a bad address is reported at `approvers[0].email`.
 * Roles are resolved to the org's active users when the gate opens (docs/approvals.md).
 */
const approver = z
  .strictObject({
    email: EMAIL.optional(),
    phone: z.string().max(16).regex(PHONE, "must be an E.164 phone number").optional(),
    user_id: userIdSchema.optional(),
    org_role: z.enum(["owner", "admin"]).optional(),
    product_role: z
      .strictObject({
        product: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, "must be a product slug"),
        role: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be a role name"),
      })
      .optional(),
  })
  .refine((entry) => Object.keys(entry).length === 1, {
    message: "give exactly one of email, phone, user_id, org_role, product_role",
    ...onceValid,
  });

export type Approver = z.output<typeof approver>;

export const MIN_GATE_TIMEOUT = 60;
export const MAX_GATE_TIMEOUT = 604_800;
export const MAX_REQUIRED_APPROVALS = 20;

const seconds = z.number().int().min(60).max(MAX_GATE_TIMEOUT);
const isLiteral = (entry: Approver) => Boolean(entry.email || entry.phone || entry.user_id);

const approvalGateStep = z
  .strictObject({
    ...common,
    type: z.literal("approval_gate"),
    approvers: z.array(approver).min(1).max(20),
    message: templatedText(2000),
    timeout_seconds: z.number().int().min(MIN_GATE_TIMEOUT).max(MAX_GATE_TIMEOUT).default(86_400),
    on_timeout: z.enum(["reject", "approve"]).default("reject"),
    required_approvals: z.number().int().min(1).max(MAX_REQUIRED_APPROVALS).optional(),
    allow_self_approval: z.boolean().optional(),
    reminders: z.strictObject({ every_seconds: seconds, max: z.number().int().min(1).max(10) }).optional(),
    escalation: z
      .strictObject({ after_seconds: seconds, approvers: z.array(approver).min(1).max(20) })
      .optional(),
  })
  .superRefine((step, ctx) => {
    // With literal approvers only, the quorum can be checked now; roles are counted when the gate opens.
    const all = [...step.approvers, ...(step.escalation?.approvers ?? [])];
    const required = step.required_approvals ?? 1;
    if (all.every(isLiteral) && required > all.length)
      ctx.addIssue({
        code: "custom",
        path: ["required_approvals"],
        message: `cannot exceed the number of approvers (${all.length})`,
      });
    if (step.reminders && step.reminders.every_seconds >= step.timeout_seconds)
      ctx.addIssue({
        code: "custom",
        path: ["reminders", "every_seconds"],
        message: "must be shorter than timeout_seconds",
      });
    if (step.escalation && step.escalation.after_seconds >= step.timeout_seconds)
      ctx.addIssue({
        code: "custom",
        path: ["escalation", "after_seconds"],
        message: "must be shorter than timeout_seconds",
      });
  }, onceValid);

const delayStep = z.strictObject({
  ...common,
  type: z.literal("delay"),
  seconds: z.number().int().min(1).max(604_800),
});

export const stepSchema = z.discriminatedUnion("type", [
  productActionStep,
  notificationStep,
  approvalGateStep,
  delayStep,
]);

export type Step = z.output<typeof stepSchema>;
export type ProductActionStep = z.output<typeof productActionStep>;
export type NotificationStep = z.output<typeof notificationStep>;
export type ApprovalGateStep = z.output<typeof approvalGateStep>;
export type DelayStep = z.output<typeof delayStep>;
export const STEP_TYPES = ["product_action", "notification", "approval_gate", "delay"] as const;

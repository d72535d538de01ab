// The reason a failed activity gives in the audit log: its own message, without the error's class name.

const MAX_REASON_CHARS = 2_000;

/**
 * durable-functions hands the orchestrator a TaskFailedError whose message is `<ErrorType>: <message>`; the
 * activity's own words are in `failureDetails.errorMessage` (older hosts send no details, only the message).
 */
export function activityFailureReason(error: unknown): string {
  const details = (error as { failureDetails?: { errorMessage?: unknown } } | null)?.failureDetails;
  const reason =
    typeof details?.errorMessage === "string" && details.errorMessage !== ""
      ? details.errorMessage
      : error instanceof Error
        ? error.message
        : String(error);
  return reason.slice(0, MAX_REASON_CHARS);
}

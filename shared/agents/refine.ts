// zod runs a refinement even after non-aborting issues inside the value; ours read the value, so they wait for it to be valid.

/** Pass as the params of `.superRefine`/`.refine`: run only when nothing inside has failed. */
export const onceValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

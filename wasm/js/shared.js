/** Whether `e` is an error thrown by a failed build. */
export function isRustomizeError(e) {
  return e instanceof Error && e.name === "RustomizeError" && typeof e.kind === "string";
}

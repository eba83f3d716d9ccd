/** Makes a switch over a union exhaustive at compile time; reaching it at run time is a bug. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unreachable case: ${JSON.stringify(value)}`);
}

/**
 * The end of an exhaustive switch: TypeScript rejects the call while a case is missing, and at
 * run time it names the value that no case handled (data from outside the type system).
 */
export function assertUnreachable(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value) ?? String(value)}`);
}

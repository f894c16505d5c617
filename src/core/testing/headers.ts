/** Table rows are unions of object literals; Headers accepts any string record. */
export function toHeaders(init: object): Headers {
  return new Headers(init as Record<string, string>);
}

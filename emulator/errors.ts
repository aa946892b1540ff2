/** An API error rendered as Qoder's envelope `{"type":"error","error":{type,message,param?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly param?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(requestId: string): Record<string, unknown> {
    const error: Record<string, unknown> = { type: this.type, message: this.message };
    if (this.param !== undefined) error.param = this.param;
    return { type: "error", error, request_id: requestId };
  }
}

export const badRequest = (message: string, param?: string) => new ApiError(400, "invalid_request_error", message, param);
export const notFound = (kind: string, id: string) => new ApiError(404, "not_found_error", `${kind} '${id}' was not found.`);
export const conflict = (message: string) => new ApiError(409, "conflict_error", message);
export const invalidJson = () => badRequest("Request body must be valid JSON.");
export const unauthorized = () => new ApiError(401, "authentication_error", "Invalid API key or token.");

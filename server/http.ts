/** A JSON body the collector answers with: an error message, or validation errors with paths. */
export type ErrorBody = { error: string } | { errors: BatchError[]; more?: number };

/** One problem with a posted batch: the record it belongs to (or null for the batch) and where. */
export interface BatchError {
  index: number | null;
  path: string;
  message: string;
}

/** Ends a request from any step with a status and a JSON body; `logMessage` is the one log line. */
export class HttpError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: ErrorBody, { log, headers = {} }: { log?: string; headers?: Record<string, string> } = {}) {
    super(log ?? ('error' in body ? body.error : `HTTP ${status}`));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** Typed errors the services raise; the HTTP error handler maps each to one status code. */

export interface FieldProblem {
  /** The API field (or `query.x`, `body`) the problem is about. */
  field: string;
  message: string;
}

export class ValidationError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  constructor(readonly resource: string, readonly key: string) {
    super(`${resource} ${key} not found`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The uploaded file itself is unusable (not a spreadsheet, empty, too many rows). */
export class UnprocessableFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnprocessableFileError';
  }
}

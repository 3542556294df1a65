/** Typed errors the services raise; the HTTP error handler maps each to one status code. */

export interface FieldProblem {
  /** The API field (or `query.x`, `body`) the problem is about. */
  field: string;
  message: string;
  /** A stable reason where clients word it themselves (password rules). */
  code?: string;
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

/** No valid session or token (401). `reason` is for the audit log, never for the caller. */
export class UnauthenticatedError extends Error {
  constructor(readonly code: 'unauthenticated' | 'invalid_credentials' = 'unauthenticated', message = 'sign in first') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** Signed in but not allowed (403): the role lacks the permission, a CSRF check failed, or a password change is due. */
export class ForbiddenError extends Error {
  constructor(
    readonly code: 'forbidden' | 'csrf_failed' | 'password_change_required' | 'out_of_scope' = 'forbidden',
    message = 'you may not do this',
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Too many failed sign-ins: wait before trying again (429). */
export class LockedError extends Error {
  constructor(readonly retryAfterS: number) {
    super(`too many failed sign-ins; try again in ${Math.ceil(retryAfterS / 60)} minute(s)`);
    this.name = 'LockedError';
  }
}

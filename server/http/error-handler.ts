import type { ErrorRequestHandler, RequestHandler } from 'express';
import multer from 'multer';
import { ConflictError, ForbiddenError, LockedError, NotFoundError, UnauthenticatedError, UnprocessableFileError, ValidationError } from '../services/errors.js';
import type { Logger } from '../logger.js';

interface ErrorBody {
  error: string;
  message: string;
  retryAfterS?: number;
  problems?: Array<{ field: string; message: string }>;
  field?: string;
}

/** Maps typed errors to status codes with a JSON body; never leaks stacks or SQL. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const [status, body] = describe(err);
    if (status >= 500) logger.error('request failed', { method: req.method, path: req.path, error: err as Error });
    if (res.headersSent) return void res.end();
    if (body.retryAfterS !== undefined) res.setHeader('Retry-After', String(body.retryAfterS));
    res.status(status).json(body);
  };
}

function describe(err: unknown): [number, ErrorBody] {
  if (err instanceof ValidationError) return [400, { error: 'validation_failed', message: 'request has invalid fields', problems: err.problems }];
  if (err instanceof UnauthenticatedError) return [401, { error: err.code, message: err.message }];
  if (err instanceof ForbiddenError) return [403, { error: err.code, message: err.message }];
  if (err instanceof LockedError) return [429, { error: 'locked', message: err.message, retryAfterS: err.retryAfterS }];
  if (err instanceof NotFoundError) return [404, { error: 'not_found', message: err.message }];
  if (err instanceof ConflictError) {
    return [409, { error: 'conflict', message: err.message, ...(err.field ? { field: err.field, problems: [{ field: err.field, message: err.message }] } : {}) }];
  }
  if (err instanceof UnprocessableFileError) return [400, { error: 'bad_file', message: err.message, problems: [{ field: 'file', message: err.message }] }];
  if (err instanceof multer.MulterError) {
    const tooLarge = err.code === 'LIMIT_FILE_SIZE';
    const problems = [{ field: err.field ?? 'file', message: err.message }];
    return tooLarge ? [413, { error: 'payload_too_large', message: 'uploaded file too large', problems }] : [400, { error: 'bad_upload', message: err.message, problems }];
  }
  const http = err as { status?: number; statusCode?: number; type?: string; expose?: boolean; message?: string };
  const status = http.status ?? http.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (http.type === 'entity.too.large') return [413, { error: 'payload_too_large', message: 'request body too large', problems: [{ field: 'body', message: 'too large' }] }];
    if (http.type === 'entity.parse.failed') return [400, { error: 'invalid_json', message: 'body is not valid JSON', problems: [{ field: 'body', message: 'not valid JSON' }] }];
    return [status, { error: 'bad_request', message: http.expose && http.message ? http.message : 'bad request' }];
  }
  return [500, { error: 'internal', message: 'internal server error' }];
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', message: `no route ${req.method} ${req.path}` });
};

import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { principalOf } from './access.js';

/**
 * One debug line per API request: who, what, status, time. The path only: query strings may carry
 * search text, and bodies (passwords, camera credentials) are never logged.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const user = principalOf(req)?.username ?? '-';
      logger.debug('request', { method: req.method, path: req.baseUrl + req.path, status: res.statusCode, user, ip: req.ip, ms: Math.round(ms * 10) / 10 });
      if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode === 429) {
        logger.info('request refused', { method: req.method, path: req.baseUrl + req.path, status: res.statusCode, user, ip: req.ip });
      }
    });
    next();
  };
}

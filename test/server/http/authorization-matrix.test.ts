import { expect } from 'chai';
import express from 'express';
import { apiRoutes } from '../../../server/app.js';
import { decideAccess, PERMISSIONS, type Principal, type Role } from '../../../server/domain/access.js';
import { mountRoutes, type RouteDef } from '../../../server/http/route-table.js';
import type { Database } from '../../../server/storage/db.js';
import { backendNames, getDatabase } from '../../support/backends.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { createUser, tokenFor } from '../../support/accounts.js';
import { deviceId } from '../../support/cameras.js';
import { json } from '../../support/http.js';

/** Who calls: a role and towns (null = county), or nobody. */
interface Caller {
  label: string;
  role?: Role;
  towns?: string[] | null;
  token?: string;
}

const CALLERS: Caller[] = [
  { label: 'anonymous' },
  { label: 'admin', role: 'admin', towns: null },
  { label: 'operator', role: 'operator', towns: null },
  { label: 'crew', role: 'crew', towns: null },
  { label: 'leader', role: 'leader', towns: null },
  // The camera, user and token the routes name all belong to 梅渚镇 (meizhu).
  { label: 'crew of shizi (out of scope)', role: 'crew', towns: ['shizi'] },
  { label: 'admin of shizi (out of scope)', role: 'admin', towns: ['shizi'] },
];

/**
 * Expected outcome, from the route's declared permission:
 * public                          → neither 401 nor 403
 * no caller                       → 401
 * role lacks the permission       → 403
 * role has it, target out of scope (a :id route) → 404
 * role has it                     → neither 401 nor 403 (validation may still answer 400/404/409)
 */
function expected(route: RouteDef, caller: Caller): string {
  const principal: Principal | undefined = caller.role ? { kind: 'token', userId: 'x', username: 'x', role: caller.role, towns: caller.towns ?? null, mustChangePassword: false } : undefined;
  const decision = decideAccess(route.permission, principal);
  if (decision === 'unauthenticated') return '401';
  if (decision === 'forbidden') return '403';
  const scoped = caller.towns && route.path.includes(':id') && !route.path.startsWith('/auth');
  return scoped ? '404' : 'allowed';
}

function outcome(status: number): string {
  if (status === 401 || status === 403 || status === 404) return String(status);
  if (status >= 500) return `error ${status}`;
  return 'allowed';
}

for (const backend of backendNames()) {
  describe(`authorization matrix: every route × every role [${backend}]`, function () {
    this.timeout(120_000);
    let db: Database;
    let sut: TestServer;
    const ids: Record<string, string> = {};

    before(async () => {
      db = await getDatabase(backend);
      sut = await startTestServer(db);
      const cam = await sut.api('/cameras', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: deviceId(777_001), name: 'matrix cam', network: '天网', town: '梅渚镇' }) });
      ids.camera = (await json(cam)).id;
      const target = await createUser(sut, 'crew', ['meizhu'], 'matrix-target');
      ids.user = target.id;
      await tokenFor(sut, target, 'matrix target');
      ids.token = (await db.query<{ id: string }>('SELECT id FROM api_tokens WHERE user_id = $1', [target.id]))[0].id;
      for (const caller of CALLERS) if (caller.role) caller.token = await tokenFor(sut, await createUser(sut, caller.role, caller.towns ?? null, 'matrix'));
    });
    after(() => sut.close());

    it('declares a known permission on every route, and mounting an undeclared one fails', () => {
      const routes = apiRoutes(sut.ctx);
      for (const r of routes) expect(PERMISSIONS, `${r.method} ${r.path}`).to.include(r.permission);
      const undeclared = { method: 'get', path: '/new', summary: 'forgot its permission', handler: () => ({}) } as unknown as RouteDef;
      expect(() => mountRoutes(express.Router(), [undeclared])).to.throw(/unknown permission/);
    });

    it('answers each caller as the route table says', async () => {
      const routes = apiRoutes(sut.ctx);
      const wrong: string[] = [];
      let checked = 0;
      for (const route of routes) {
        const kind = route.path.startsWith('/users') ? 'user' : route.path.startsWith('/tokens') ? 'token' : 'camera';
        const path = route.path.replace(':id', ids[kind]);
        for (const caller of CALLERS) {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (caller.token) headers.authorization = `Bearer ${caller.token}`;
          // A valid change, so scope (404) is decided rather than validation (400).
          const body = route.method === 'get' ? undefined : route.method === 'patch' ? JSON.stringify(kind === 'user' ? { displayName: 'x' } : { name: 'matrix cam' }) : '{}';
          const res = await fetch(sut.url + path, { method: route.method.toUpperCase(), headers, body });
          await res.arrayBuffer();
          const want = expected(route, caller);
          const got = outcome(res.status);
          checked++;
          if (got !== want) wrong.push(`${route.method.toUpperCase()} ${route.path} as ${caller.label}: expected ${want}, got ${res.status}`);
        }
      }
      expect(wrong, wrong.join('\n')).to.deep.equal([]);
      expect(checked).to.equal(routes.length * CALLERS.length);
    });
  });
}

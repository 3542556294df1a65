import { expect } from 'chai';
import type { RequestHandler } from 'express';
import { buildOpenApi, deriveOperationId, toOpenApiPath } from '../../../server/http/openapi.js';
import type { RouteDef } from '../../../server/http/route-table.js';
import { cameraRoutes, type CameraRouteDeps } from '../../../server/http/routes/cameras.routes.js';
import { catalogRoutes } from '../../../server/http/routes/catalog.routes.js';
import { CodeList, type Catalog } from '../../../server/services/registry/catalog.js';

type Json = Record<string, any>;

const catalog: Catalog = {
  countyCode: '341821',
  countyName: '郎溪县',
  idEdition: '2016',
  towns: new CodeList([
    { code: 'jianping', name: '建平镇', nameEn: 'Jianping' },
    { code: 'meizhu', name: '梅渚镇' },
  ]),
  networks: new CodeList([{ code: 'sky', name: '天网', nameEn: 'Sky' }]),
};

// Factories only read catalog, importMaxBytes and importLimiter while building the list; services are never called.
const noop: RequestHandler = (_req, _res, next) => next();
const realRoutes: RouteDef[] = [
  ...catalogRoutes({ catalog, registry: {} as any, db: {} as any }),
  ...cameraRoutes({ catalog, importMaxBytes: 1024, importLimiter: noop, tzDisplay: 'Asia/Shanghai', schemas: {} as any, registry: {} as any, writes: {} as any, exporter: {} as any } satisfies CameraRouteDeps),
];
const fakeRoute: RouteDef = {
  method: 'delete', path: '/tickets/:ticketId/notes/:noteId', permission: 'cameras:write', summary: 'Remove a ticket note', handler: () => undefined,
};

describe('buildOpenApi', () => {
  const routes = [...realRoutes, fakeRoute];
  const sut = buildOpenApi(routes, catalog) as Json;
  const op = (route: Pick<RouteDef, 'method' | 'path'>): Json => sut.paths[toOpenApiPath(route.path)]?.[route.method];

  it('has the OpenAPI 3.1 top level', () => {
    expect(sut.openapi).to.equal('3.1.0');
    expect(sut.info).to.include({ title: 'Sharp Eyes Monitor API', version: '1' });
    expect(sut.info.description).to.contain('雪亮工程');
    expect(sut.servers).to.deep.equal([{ url: '/api/v1' }]);
    expect(sut.paths).to.be.an('object');
    expect(sut.components.schemas).to.include.keys('CameraInput', 'CameraPatch', 'Camera', 'CameraList', 'ImportReport', 'InvalidRow', 'Tally', 'Error', 'Problem');
  });

  it('documents every route with its method, summary and x-permission', () => {
    expect(realRoutes.length).to.be.greaterThan(10);
    for (const route of routes) {
      const operation = op(route);
      expect(operation, `${route.method} ${route.path}`).to.be.an('object');
      expect(operation['x-permission']).to.equal(route.permission);
      expect(operation.summary).to.equal(route.summary);
      expect(operation.tags).to.have.length(1);
    }
  });

  it('gives known routes their table operationId and tag', () => {
    const cases: Array<[RouteDef['method'], string, string, string]> = [
      ['get', '/cameras', 'listCameras', 'cameras'],
      ['post', '/cameras/:id/decommission', 'decommissionCamera', 'cameras'],
      ['get', '/towns', 'listTowns', 'catalog'],
      ['get', '/health', 'getHealth', 'system'],
    ];
    for (const [method, path, operationId, tag] of cases) {
      expect(op({ method, path })).to.include({ operationId }).and.have.property('tags').that.deep.equals([tag]);
    }
  });

  it('converts :params to {params}', () => {
    expect(toOpenApiPath('/cameras/:id/restore')).to.equal('/cameras/{id}/restore');
    expect(sut.paths).to.include.keys('/cameras/{id}', '/cameras/{id}/restore');
    expect(Object.keys(sut.paths).filter((p) => p.includes(':'))).to.deep.equal([]);
  });

  it('still documents a route the lookup table does not know', () => {
    const operation = op(fakeRoute);
    expect(operation).to.include({ operationId: 'deleteTicketsByTicketIdNotesByNoteId', 'x-generic': true, 'x-permission': 'cameras:write' });
    expect(operation.parameters.map((p: Json) => [p.name, p.in, p.required])).to.deep.equal([['ticketId', 'path', true], ['noteId', 'path', true]]);
    expect(sut.tags.map((t: Json) => t.name)).to.include('tickets');
  });

  it('keeps operationIds unique when two routes derive the same one', () => {
    const clash: RouteDef[] = [
      { ...fakeRoute, method: 'get', path: '/a-b' },
      { ...fakeRoute, method: 'get', path: '/a_b' },
    ];
    const { paths } = buildOpenApi(clash, catalog) as Json;
    expect([paths['/a-b'].get.operationId, paths['/a_b'].get.operationId]).to.deep.equal([deriveOperationId('get', '/a-b'), 'getAB2']);
  });

  it('requires the four identifying fields of CameraInput and lists configured towns', () => {
    const input = sut.components.schemas.CameraInput;
    expect(input.required).to.have.members(['deviceId', 'name', 'network', 'town']);
    expect(input.properties.town.description).to.contain('meizhu (梅渚镇)');
    expect(input.properties.password.writeOnly).to.equal(true);
    expect(sut.components.schemas.CameraPatch.required).to.deep.equal([]);
  });

  it('never exposes a password on Camera', () => {
    const camera = sut.components.schemas.Camera;
    expect(camera.properties).to.not.have.property('password');
    expect(camera.properties.hasPassword).to.deep.include({ type: 'boolean' });
  });

  it('documents list parameters, export formats and import bodies', () => {
    const names = (operation: Json) => operation.parameters.map((p: Json) => p.$ref.split('/').pop());
    expect(names(op({ method: 'get', path: '/cameras' }))).to.include.members(['town', 'tag', 'decommissioned', 'sort', 'limit', 'cursor']);
    expect(names(op({ method: 'get', path: '/cameras/export' }))).to.include.members(['format', 'lang', 'town']);
    expect(sut.components.parameters.limit.schema).to.include({ minimum: 1, maximum: 500, default: 50 });
    const exported = op({ method: 'get', path: '/cameras/export' }).responses[200].content;
    expect(exported).to.include.keys('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const imported = op({ method: 'post', path: '/cameras/import' });
    expect(imported.requestBody.content['multipart/form-data'].schema.required).to.deep.equal(['file']);
    expect(imported.requestBody.content).to.include.keys('text/csv');
    expect(imported.responses).to.include.keys('200', '400', '413', '422', '429');
    expect(imported.description).to.contain('国标编码 / deviceId');
  });

  it('resolves every $ref', () => {
    const refs = JSON.stringify(sut).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const r of refs) {
      const [, , kind, name] = r.slice(8, -1).split('/');
      expect(sut.components[kind], r).to.have.property(name);
    }
  });
});

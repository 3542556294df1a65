import { expect } from 'chai';
import { CodeList, type Catalog } from '../../../../server/services/registry/catalog.js';
import { toCameraView } from '../../../../server/services/registry/camera-view.js';
import type { CameraRecord } from '../../../../server/storage/camera.repository.js';

const catalog: Catalog = {
  countyCode: '341821',
  countyName: '郎溪县',
  idEdition: '2016',
  towns: new CodeList([{ code: 'meizhu', name: '梅渚镇' }]),
  networks: new CodeList([{ code: 'sky', name: '天网' }]),
};

function record(over: Partial<CameraRecord> = {}): CameraRecord {
  return {
    id: '0b6f3c1e-9a53-4a43-a7c5-6f1d2b7f0c11',
    deviceId: '34182100001320000001',
    idEdition: '2016',
    name: '梅渚镇路口',
    network: 'sky',
    town: 'meizhu',
    village: null,
    address: null,
    longitude: 119.1,
    latitude: 31.1,
    pointClass: 1,
    vendor: null,
    model: null,
    installDate: '2021-05-01',
    ownerUnit: null,
    maintainer: null,
    tags: ['路口'],
    onvifUrl: null,
    rtspMainUrl: 'rtsp://10.0.0.8/1',
    rtspSubUrl: null,
    username: 'admin',
    passwordEnc: 'v1:k1:iv:tag:ct',
    status: 'offline',
    statusSince: new Date('2024-06-01T00:00:00Z'),
    statusCause: 'RTSP connect timeout',
    decommissionedAt: null,
    createdAt: new Date('2024-05-01T08:00:00.123Z'),
    updatedAt: new Date('2024-05-02T08:00:00Z'),
    ...over,
  };
}

describe('toCameraView', () => {
  it('names every field of the API shape, never the sealed password', () => {
    const sut = toCameraView(catalog, record());
    expect(Object.keys(sut)).to.have.members([
      'id', 'deviceId', 'idEdition', 'name', 'network', 'town', 'village', 'address', 'longitude', 'latitude', 'pointClass',
      'vendor', 'model', 'installDate', 'ownerUnit', 'maintainer', 'tags', 'onvifUrl', 'rtspMainUrl', 'rtspSubUrl', 'username',
      'status', 'statusSince', 'statusCause', 'decommissionedAt', 'createdAt', 'updatedAt',
      'idInfo', 'networkName', 'townName', 'pointClassName', 'hasPassword', 'decommissioned', 'warnings',
    ]);
    expect(sut).to.include({ hasPassword: true, networkName: '天网', townName: '梅渚镇', pointClassName: '一类', decommissioned: false, decommissionedAt: null });
    expect(sut).to.include({ createdAt: '2024-05-01T08:00:00.123Z', statusSince: '2024-06-01T00:00:00.000Z' });
    expect(sut.idInfo).to.include({ countyCode: '341821', serial: '000001' });
    expect(sut.warnings).to.deep.equal([]);
  });

  it('shows a decommissioned camera, an unknown town code and a foreign county prefix as they are', () => {
    const sut = toCameraView(catalog, record({ decommissionedAt: new Date('2024-07-01T00:00:00Z'), town: 'gone', passwordEnc: null, deviceId: '34050000001320000001' }));
    expect(sut).to.include({ decommissioned: true, decommissionedAt: '2024-07-01T00:00:00.000Z', townName: 'gone', hasPassword: false });
    expect(sut.warnings).to.have.length(1);
    expect(sut.warnings[0]).to.match(/county 340500/);
  });
});

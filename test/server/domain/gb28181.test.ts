import { expect } from 'chai';
import {
  countyPrefixWarning,
  decodeDeviceId,
  validateDeviceIdFormat,
  type IdEdition,
} from '../../../server/domain/gb28181.js';

describe('gb28181', () => {
  describe('validateDeviceIdFormat', () => {
    // input                        → reason
    // 20 ASCII digits              → null
    // 19 / 21 digits, empty        → "must be 20 digits, got N"
    // letter, space, full-width ３ → "must contain only digits …"
    const cases: Array<{ name: string; raw: string; expected: string | null }> = [
      { name: '20 digits', raw: '34182100001320000001', expected: null },
      { name: '19 digits', raw: '3418210000132000001', expected: 'must be 20 digits, got 19' },
      { name: '21 digits', raw: '341821000013200000010', expected: 'must be 20 digits, got 21' },
      { name: 'empty', raw: '', expected: 'must be 20 digits, got 0' },
      { name: 'letter', raw: '3418210000132000000A', expected: "must contain only digits (found 'A' at position 20)" },
      { name: 'untrimmed', raw: ' 34182100001320000001', expected: "must contain only digits (found ' ' at position 1)" },
      { name: 'full-width digit', raw: '３4182100001320000001', expected: "must contain only digits (found '３' at position 1)" },
    ];
    for (const { name, raw, expected } of cases) {
      it(`${name} → ${expected ?? 'valid'}`, () => {
        expect(validateDeviceIdFormat(raw)).to.equal(expected);
      });
    }
  });

  describe('decodeDeviceId', () => {
    // raw                    preferred → edition  industry            type (category)            network
    // 3418210000 132 0 …     2016      → 2016     00 road security    132 IPC (device)           0 monitoring private
    // 3418210000 132 0 …     2022      → 2022     00                  132 IPC                    0 PS video transmission
    // …01 141 5 …            2016      → 2022     01 community        141 2022-only (device)     5 PS information
    // …04 118 6/7/8 …        2016/2022 → as pref  04 traffic road     118 NVR                    labels differ by edition
    // …45 131 …              2016      → 2016     45 edition-specific 131 camera
    // …20 131 …              2016      → 2016     20 unknown
    // …00 200 …              2016      → 2016     00                  200 signalling (platform)
    // …00 300/400 …          2016      → 2016                         user
    // …00 501 …              2016      → 2016                         501 O&M (platform)
    // …00 999 …              2016      → 2016                         unknown (other)
    type Case = {
      raw: string;
      preferred: IdEdition;
      edition: IdEdition;
      industry: [string, string];
      type: [string, string, string];
      network: [string, string];
    };
    const cases: Case[] = [
      { raw: '34182100001320000001', preferred: '2016', edition: '2016', industry: ['00', 'road security'], type: ['132', 'IPC', 'device'], network: ['0', 'monitoring/alarm private network'] },
      { raw: '34182100001320000001', preferred: '2022', edition: '2022', industry: ['00', 'road security'], type: ['132', 'IPC', 'device'], network: ['0', 'public-security video transmission network'] },
      { raw: '34182101011415000123', preferred: '2016', edition: '2022', industry: ['01', 'community'], type: ['141', 'other 2022 peripheral device', 'device'], network: ['5', 'public-security information network'] },
      { raw: '34182100041186000002', preferred: '2016', edition: '2016', industry: ['04', 'traffic road'], type: ['118', 'NVR', 'device'], network: ['6', 'government network'] },
      { raw: '34182100041186000002', preferred: '2022', edition: '2022', industry: ['04', 'traffic road'], type: ['118', 'NVR', 'device'], network: ['6', 'e-government extranet'] },
      { raw: '34182100051217000003', preferred: '2016', edition: '2016', industry: ['05', 'traffic checkpoint'], type: ['121', 'vehicle checkpoint', 'device'], network: ['7', 'Internet'] },
      { raw: '34182100001318000004', preferred: '2016', edition: '2016', industry: ['00', 'road security'], type: ['131', 'camera', 'device'], network: ['8', 'social-resource access network'] },
      { raw: '34182100001318000004', preferred: '2022', edition: '2022', industry: ['00', 'road security'], type: ['131', 'camera', 'device'], network: ['8', 'leased line'] },
      { raw: '34182100451310000005', preferred: '2016', edition: '2016', industry: ['45', 'edition-specific'], type: ['131', 'camera', 'device'], network: ['0', 'monitoring/alarm private network'] },
      { raw: '34182100201310000006', preferred: '2016', edition: '2016', industry: ['20', 'unknown'], type: ['131', 'camera', 'device'], network: ['0', 'monitoring/alarm private network'] },
      { raw: '34182100002005000007', preferred: '2016', edition: '2016', industry: ['00', 'road security'], type: ['200', 'central signalling control server', 'platform'], network: ['5', 'public-security information network'] },
      { raw: '34182100003005000008', preferred: '2016', edition: '2016', industry: ['00', 'road security'], type: ['300', 'center user', 'user'], network: ['5', 'public-security information network'] },
      { raw: '34182100004007000009', preferred: '2016', edition: '2016', industry: ['00', 'road security'], type: ['400', 'terminal user', 'user'], network: ['7', 'Internet'] },
      { raw: '34182100005019000010', preferred: '2016', edition: '2016', industry: ['00', 'road security'], type: ['501', 'O&M platform', 'platform'], network: ['9', 'reserved'] },
      { raw: '34182100009990000011', preferred: '2016', edition: '2016', industry: ['00', 'road security'], type: ['999', 'unknown', 'other'], network: ['0', 'monitoring/alarm private network'] },
    ];
    for (const c of cases) {
      it(`${c.raw} (prefer ${c.preferred}) → ${c.edition}, type ${c.type[0]} ${c.type[1]}, network ${c.network[0]}`, () => {
        const sut = decodeDeviceId(c.raw, c.preferred);
        expect(sut.edition).to.equal(c.edition);
        expect([sut.industry.code, sut.industry.label]).to.deep.equal(c.industry);
        expect([sut.type.code, sut.type.label, sut.type.category]).to.deep.equal(c.type);
        expect([sut.networkDigit.code, sut.networkDigit.label]).to.deep.equal(c.network);
      });
    }

    it('splits every field of 34182100001320000001', () => {
      const sut = decodeDeviceId('34182100001320000001', '2016');
      expect(sut).to.deep.include({
        raw: '34182100001320000001',
        centerCode: '34182100',
        province: '34',
        city: '18',
        county: '21',
        countyCode: '341821',
        grassroots: '00',
        serial: '000001',
      });
      expect(sut.industry).to.deep.equal({ code: '00', label: 'road security', labelZh: '社会治安路面接入' });
      expect(sut.type).to.deep.equal({ code: '132', label: 'IPC', labelZh: '网络摄像机', category: 'device' });
      expect(sut.networkDigit.labelZh).to.equal('监控报警专网');
    });

    it('labels unknown codes in Chinese too', () => {
      const sut = decodeDeviceId('34182100009990000011', '2022');
      expect(sut.type).to.deep.equal({ code: '999', label: 'unknown', labelZh: '未知', category: 'other' });
    });

    // Format errors are a caller bug (validate first), so decode throws with the reason.
    const invalid = [
      { name: '19 digits', raw: '3418210000132000001', reason: /got 19/ },
      { name: 'letters', raw: '34182100001320ABCDEF', reason: /only digits/ },
      { name: '21 digits', raw: '341821000013200000010', reason: /got 21/ },
    ];
    for (const { name, raw, reason } of invalid) {
      it(`throws on ${name}`, () => {
        expect(() => decodeDeviceId(raw, '2016')).to.throw(reason);
      });
    }
  });

  describe('countyPrefixWarning', () => {
    // ID county vs configured → warning
    // same                    → null
    // different county        → message naming both
    // province-level ID       → message naming both
    const cases = [
      { raw: '34182100001320000001', county: '341821', expected: null },
      { raw: '34182200001320000001', county: '341821', expected: 'device ID county 341822 does not match configured county 341821' },
      { raw: '34000000002000000001', county: '341821', expected: 'device ID county 340000 does not match configured county 341821' },
    ];
    for (const { raw, county, expected } of cases) {
      it(`${raw.slice(0, 6)} vs ${county} → ${expected ?? 'no warning'}`, () => {
        expect(countyPrefixWarning(decodeDeviceId(raw, '2016'), county)).to.equal(expected);
      });
    }
  });
});

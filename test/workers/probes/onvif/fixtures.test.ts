import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  classifyFault,
  parseDeviceInformation,
  parseFault,
  parseProfiles,
  parseSnapshotUri,
  parseStreamUri,
  parseSystemDateAndTime,
  soapBody,
} from '../../../../workers/probes/onvif/responses.js';
import { parseXml, XmlProtocolError } from '../../../../workers/probes/onvif/xml.js';
import { CLOCKS, IDENTITIES } from './expected.js';
import { FIXTURES } from './replay-server.js';

/**
 * Every file under test/fixtures/onvif goes through xml.ts and the parser its name calls for. The list
 * is read from disk, so a new capture is parsed automatically; the expectation tables below must name
 * each GetSystemDateAndTime / GetDeviceInformation / Fault file (a missing row fails loudly).
 */

/** Fault-<key>-… → verdict ('protocol' = must be refused cleanly as not well-formed). */
const FAULTS: Record<string, string> = {
  NotAuthorized: 'auth',
  '401': 'auth',
  OperationProhibited: 'auth',
  ActionNotSupported: 'unsupported',
  Action: 'unsupported',
  MethodNotImplemented: 'unsupported',
  InvalidArgVal: 'error',
  template: 'protocol',
};

const files = readdirSync(FIXTURES).flatMap((vendor) =>
  readdirSync(join(FIXTURES, vendor)).map((file) => ({ vendor, file, path: join(FIXTURES, vendor, file) })),
);

describe('ONVIF fixtures through xml.ts and the typed parsers', () => {
  it('finds the whole shared set (97 files)', () => {
    expect(files.length).to.be.at.least(97);
  });

  for (const { vendor, file, path } of files) {
    const bytes = readFileSync(path);
    const op = file.replace(/(\.media2)?\.xml$/, '');

    it(`${vendor}/${file}`, () => {
      if (op.startsWith('Fault-')) {
        const expected = FAULTS[op.split('-')[1]];
        expect(expected, `add Fault key of ${file} to FAULTS`).to.be.a('string');
        if (expected === 'protocol') {
          expect(() => parseXml(bytes)).to.throw(XmlProtocolError);
          return;
        }
        const fault = parseFault(parseXml(bytes));
        expect(fault, 'a Fault in the Body').to.not.equal(null);
        expect(classifyFault(fault!)).to.equal(expected);
        return;
      }
      const root = parseXml(bytes);
      switch (op) {
        case 'GetSystemDateAndTime': {
          const expected = CLOCKS[vendor];
          expect(expected, `add ${vendor} to CLOCKS`).to.be.an('object');
          const sdt = parseSystemDateAndTime(root);
          expect(sdt.utc?.toISOString()).to.equal(expected.utc);
          expect(sdt.tz).to.equal(expected.tz);
          expect(sdt.dst).to.equal(expected.dst);
          expect(sdt.dateTimeType).to.be.oneOf(['NTP', 'Manual']);
          break;
        }
        case 'GetDeviceInformation': {
          expect(IDENTITIES[vendor], `add ${vendor} to IDENTITIES`).to.be.an('array');
          const info = parseDeviceInformation(root);
          expect([info.manufacturer, info.model, info.firmwareVersion]).to.deep.equal(IDENTITIES[vendor]);
          expect(info.serialNumber).to.not.equal('');
          break;
        }
        case 'GetStreamUri':
          expect(parseStreamUri(root).uri).to.match(/^rtsp:\/\/[^\s]+$/);
          expect(parseStreamUri(root).media2).to.equal(file.includes('.media2.'));
          break;
        case 'GetSnapshotUri':
          expect(parseSnapshotUri(root).uri).to.match(/^https?:\/\/[^\s]+$/);
          break;
        case 'GetProfiles': {
          const profiles = parseProfiles(root);
          expect(profiles).to.have.length.of.at.least(1);
          for (const p of profiles) expect(p.token).to.match(/\S/);
          if (!file.includes('.media2.')) expect(profiles[0].videoEncoding).to.be.oneOf(['H264', 'H265', 'JPEG', 'MPEG4']);
          break;
        }
        default:
          // GetCapabilities, GetServices, ProbeMatches: a SOAP envelope whose Body holds something.
          expect(soapBody(root).children).to.have.length.of.at.least(1);
      }
    });
  }

  it('reads a Hikvision file with a CRLF last line exactly as its LF form', () => {
    const file = join(FIXTURES, 'hikvision-ds-2cd2012-i', 'GetDeviceInformation.xml');
    const raw = readFileSync(file, 'utf8');
    expect(raw).to.match(/\r\n/);
    const lf = parseDeviceInformation(parseXml(raw.replace(/\r\n/g, '\n')));
    expect(parseDeviceInformation(parseXml(raw))).to.deep.equal(lf);
  });
});

import { expect } from 'chai';
import { interpretAnswer } from '../../../../workers/probes/onvif/exchange.js';
import {
  classifyFault,
  describeFault,
  parseDeviceInformation,
  parseFault,
  parseProfiles,
  parseStreamUri,
  parseSystemDateAndTime,
  type SoapFault,
} from '../../../../workers/probes/onvif/responses.js';
import { NS, parseXml, XmlProtocolError } from '../../../../workers/probes/onvif/xml.js';

const env = (body: string) =>
  parseXml(`<s:Envelope xmlns:s="${NS.soap12}" xmlns:tt="${NS.tt}" xmlns:tds="${NS.tds}" xmlns:tr2="${NS.tr2}"><s:Body>${body}</s:Body></s:Envelope>`);
const fault = (code: string, subcodes: string[], reason: string): SoapFault => ({ code, subcodes, reason });

describe('onvif/responses', () => {
  describe('classifyFault truth table', () => {
    const rows: Array<[SoapFault, string]> = [
      [fault('Sender', ['NotAuthorized'], 'Sender not authorized'), 'auth'],
      [fault('Sender', ['FailedAuthentication'], ''), 'auth'],
      [fault('Sender', ['InvalidSecurityToken'], ''), 'auth'],
      [fault('Sender', ['OperationProhibited', 'Password'], 'Too weak password.'), 'auth'],
      [fault('Sender', [], 'HTTP Error: 401 Unauthorized'), 'auth'],
      [fault('Sender', [], 'The sender is not authorized'), 'auth'],
      [fault('Receiver', ['ActionNotSupported'], 'Action Not Implemented'), 'unsupported'],
      [fault('Receiver', ['Action'], 'Action failed'), 'unsupported'],
      [fault('Sender', [], "Method 'GetNonExistentThing' not implemented: method name or namespace not recognized"), 'unsupported'],
      [fault('Sender', ['OperationProhibited'], 'busy'), 'error'],
      [fault('Sender', ['InvalidArgVal', 'InvalidParameter'], 'the parameter value is illegal'), 'error'],
      [fault('Receiver', [], ''), 'error'],
      [fault('Sender', ['NotAuthorized', 'ActionNotSupported'], ''), 'auth'], // auth wins
    ];
    for (const [input, kind] of rows) {
      it(`${describeFault(input)} → ${kind}`, () => expect(classifyFault(input)).to.equal(kind));
    }
  });

  it('parseFault resolves QName values to local names and follows nested Subcodes', () => {
    const root = env(
      '<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:A</s:Value><s:Subcode><s:Value> ter:B </s:Value></s:Subcode></s:Subcode></s:Code>' +
        '<s:Reason><s:Text xml:lang="de">Nein</s:Text><s:Text xml:lang="en">No</s:Text></s:Reason></s:Fault>',
    );
    expect(parseFault(root)).to.deep.equal({ code: 'Sender', subcodes: ['A', 'B'], reason: 'No' });
    expect(parseFault(env('<tds:GetDeviceInformationResponse/>'))).to.equal(null);
  });

  it('parseFault reads a SOAP 1.1 fault (faultcode / faultstring)', () => {
    const root = parseXml(
      '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Client</faultcode><faultstring>401 Unauthorized</faultstring></e:Fault></e:Body></e:Envelope>',
    );
    const sut = parseFault(root)!;
    expect(sut).to.deep.equal({ code: 'Client', subcodes: [], reason: '401 Unauthorized' });
    expect(classifyFault(sut)).to.equal('auth');
  });

  it('refuses a non-SOAP root and an envelope without the expected response', () => {
    expect(() => parseFault(parseXml('<html><body/></html>'))).to.throw(XmlProtocolError, /not a SOAP envelope/);
    expect(() => parseDeviceInformation(env('<tds:GetSystemDateAndTimeResponse/>'))).to.throw(XmlProtocolError, /GetDeviceInformationResponse/);
    expect(() => parseStreamUri(env('<tr2:GetStreamUriResponse/>'))).to.throw(XmlProtocolError);
  });

  describe('parseSystemDateAndTime UTCDateTime', () => {
    const sdt = (date: string, time: string, extra = '') =>
      env(
        `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>${extra}<tt:UTCDateTime><tt:Time>${time}</tt:Time><tt:Date>${date}</tt:Date></tt:UTCDateTime>` +
          '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>',
      );
    const d = (y: string, m: string, day: string) => `<tt:Year>${y}</tt:Year><tt:Month>${m}</tt:Month><tt:Day>${day}</tt:Day>`;
    const t = (h: string, mi: string, s: string) => `<tt:Hour>${h}</tt:Hour><tt:Minute>${mi}</tt:Minute><tt:Second>${s}</tt:Second>`;
    const rows: Array<[string, string, string, string | null]> = [
      ['no zero padding', d('2024', '7', '9'), t('4', '1', '6'), '2024-07-09T04:01:06.000Z'],
      ['zero padding and spaces', d('2024', '07', ' 09 '), t('04', '01', '06'), '2024-07-09T04:01:06.000Z'],
      ['leap second clamps to :59', d('2016', '12', '31'), t('23', '59', '60'), '2016-12-31T23:59:59.000Z'],
      ['30 February', d('2024', '2', '30'), t('0', '0', '0'), null],
      ['month 13', d('2024', '13', '1'), t('0', '0', '0'), null],
      ['hour 24', d('2024', '1', '1'), t('24', '0', '0'), null],
      ['negative', d('2024', '1', '1'), t('-1', '0', '0'), null],
      ['empty field', d('2024', '1', ''), t('0', '0', '0'), null],
    ];
    for (const [what, date, time, expected] of rows) {
      it(`${what} → ${expected}`, () => expect(parseSystemDateAndTime(sdt(date, time)).utc?.toISOString() ?? null).to.equal(expected));
    }
    it('no UTCDateTime → utc null, TZ null, dst false', () => {
      const root = env('<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime/></tds:GetSystemDateAndTimeResponse>');
      expect(parseSystemDateAndTime(root)).to.deep.equal({ utc: null, tz: null, dst: false, dateTimeType: null });
    });
  });

  it('parseProfiles reads a populated Media2 VideoEncoder (tt:Encoding, tt:Resolution)', () => {
    const root = env(
      '<tr2:GetProfilesResponse><tr2:Profiles token="p1" fixed="true"><tr2:Name>main</tr2:Name><tr2:Configurations>' +
        '<tr2:VideoEncoder token="ve1"><tt:Name>ve</tt:Name><tt:Encoding>H265</tt:Encoding><tt:Resolution><tt:Width>3840</tt:Width><tt:Height>2160</tt:Height></tt:Resolution></tr2:VideoEncoder>' +
        '</tr2:Configurations></tr2:Profiles><tr2:Profiles><tr2:Name>no token</tr2:Name></tr2:Profiles></tr2:GetProfilesResponse>',
    );
    expect(parseProfiles(root)).to.deep.equal([{ token: 'p1', name: 'main', videoEncoding: 'H265', width: 3840, height: 2160 }]);
  });

  describe('interpretAnswer truth table (HTTP status × body)', () => {
    const ok = `<s:Envelope xmlns:s="${NS.soap12}"><s:Body><x/></s:Body></s:Envelope>`;
    const notAuthorized = `<s:Envelope xmlns:s="${NS.soap12}"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code></s:Fault></s:Body></s:Envelope>`;
    const unsupported = notAuthorized.replace('NotAuthorized', 'ActionNotSupported');
    const invalidArg = notAuthorized.replace('NotAuthorized', 'InvalidArgVal');
    const rows: Array<[number, string, string]> = [
      [200, ok, 'ok'],
      [200, notAuthorized, 'auth'],
      [400, notAuthorized, 'auth'],
      [401, '', 'auth'],
      [401, '<html>401</html>', 'auth'],
      [403, ok, 'auth'],
      [404, '<html><body>Not Found</body></html>', 'not_found'],
      [500, unsupported, 'unsupported'],
      [400, invalidArg, 'error'],
      [200, '<html><body>Login</body></html>', 'protocol'],
      [200, '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', 'protocol'],
      [200, '', 'protocol'],
      [200, '<root/>', 'protocol'],
      [302, '', 'error'],
      [500, '<html>Internal Server Error</html>', 'error'],
      [500, '', 'error'],
    ];
    for (const [status, body, kind] of rows) {
      it(`${status} ${body.slice(0, 40) || '(empty)'} → ${kind}`, () => {
        const sut = interpretAnswer(status, Buffer.from(body));
        expect(sut.failure?.kind ?? 'ok').to.equal(kind);
        if (kind === 'ok') expect(sut.root?.local).to.equal('Envelope');
      });
    }
  });
});

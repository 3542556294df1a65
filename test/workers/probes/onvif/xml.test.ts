import { expect } from 'chai';
import v8 from 'node:v8';
import vm from 'node:vm';
import { MAX_DEPTH, NS, child, find, parseXml, textAt, XmlProtocolError } from '../../../../workers/probes/onvif/xml.js';

const SOAP = NS.soap12;
const envelope = (prefix: string, decl = true) =>
  `<${prefix}:Envelope xmlns:${prefix}="${SOAP}" ${decl ? `xmlns:tt="${NS.tt}"` : ''}><${prefix}:Body><tt:Uri>x</tt:Uri></${prefix}:Body></${prefix}:Envelope>`;

describe('onvif/xml parseXml', () => {
  it('matches by namespace URI whatever the prefix (SOAP-ENV, env, s, made-up)', () => {
    for (const prefix of ['SOAP-ENV', 'env', 's', 'zz9']) {
      const sut = parseXml(envelope(prefix));
      expect([sut.ns, sut.local]).to.deep.equal([SOAP, 'Envelope']);
      expect(textAt(sut, [SOAP, 'Body'], [NS.tt, 'Uri'])).to.equal('x');
    }
  });

  it('a default namespace applies to elements but not to attributes', () => {
    const sut = parseXml(`<Envelope xmlns="${SOAP}" token="a"><Body/></Envelope>`);
    expect(sut.ns).to.equal(SOAP);
    expect(child(sut, SOAP, 'Body')).to.not.equal(undefined);
    expect(sut.attrs).to.deep.equal({ token: 'a' });
  });

  it('falls back to the well-known table only for an unbound prefix (agsh GetSnapshotUri quirk)', () => {
    const unbound = parseXml(`<SOAP-ENV:Envelope xmlns:tt="${NS.tt}"><SOAP-ENV:Body/></SOAP-ENV:Envelope>`);
    expect(unbound.ns).to.equal(SOAP);
    const rebound = parseXml('<tt:Uri xmlns:tt="urn:not-onvif">x</tt:Uri>');
    expect(rebound.ns).to.equal('urn:not-onvif');
  });

  it('an unknown unbound prefix becomes a private URN instead of a crash', () => {
    const sut = parseXml('<foo:Bar foo:attr="1"><constructor:x/></foo:Bar>');
    expect(sut.ns).to.equal('urn:x-unbound-prefix:foo');
    expect(sut.attrs).to.deep.equal({ '{urn:x-unbound-prefix:foo}attr': '1' });
    expect(sut.children[0].ns).to.equal('urn:x-unbound-prefix:constructor');
  });

  it('keys qualified attributes by {uri}local and leaves xmlns declarations out', () => {
    const sut = parseXml(`<a xmlns:x="urn:x" x:k="1" k="2" xml:lang="en"/>`);
    expect(sut.attrs).to.deep.equal({ '{urn:x}k': '1', k: '2', '{http://www.w3.org/XML/1998/namespace}lang': 'en' });
  });

  it('expands only the 5 predefined entities and character references; keeps CDATA', () => {
    const sut = parseXml('<a>&lt;&gt;&amp;&quot;&apos;&#x4E2D;&#25991;<![CDATA[<b>&amp;</b>]]></a>');
    expect(sut.text).to.equal(`<>&"'中文<b>&amp;</b>`);
  });

  const refused: Array<[string, string | Uint8Array]> = [
    ['a DOCTYPE with a billion-laughs entity', '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>'],
    ['an XXE external entity', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>'],
    ['a plain HTML doctype', '<!DOCTYPE html><html><body>login</body></html>'],
    ['an undefined entity', '<a>&nbsp;</a>'],
    ['a typographic-quote XML declaration', '<?xml version=”1.0” ?><a/>'],
    ['an unclosed element', '<a><b></a>'],
    ['text only', 'HTTP Error 500'],
    ['an empty body', ''],
    ['two root elements', '<a/><b/>'],
    ['HTML that is not well-formed', '<html><body><br></body></html>'],
    ['JSON', '{"error":"unauthorized"}'],
    [`nesting deeper than ${MAX_DEPTH}`, '<a>'.repeat(MAX_DEPTH + 1) + '</a>'.repeat(MAX_DEPTH + 1)],
    ['a million nested tags (no stack overflow)', '<a>'.repeat(1_000_000)],
  ];
  for (const [what, input] of refused) {
    it(`refuses ${what} with XmlProtocolError`, () => {
      expect(() => parseXml(input)).to.throw(XmlProtocolError);
    });
  }

  it('says DOCTYPE in the message, so the probe detail explains the refusal', () => {
    expect(() => parseXml('<!DOCTYPE x><x/>')).to.throw(/DOCTYPE/);
  });

  it('accepts no XML declaration, a BOM, UTF-8 bytes and a huge root namespace list', () => {
    const decls = Array.from({ length: 400 }, (_, i) => `xmlns:p${i}="http://example.com/ns/${i}"`).join('\n\t');
    const xml = `\uFEFF<s:Envelope xmlns:s="${SOAP}" ${decls}><s:Body><x>雪亮</x></s:Body></s:Envelope>`;
    const sut = parseXml(Buffer.from(xml, 'utf8'));
    expect(find(sut, '', 'x')?.text).to.equal('雪亮');
  });

  it('accepts whitespace inside an end tag and dotted names (DVC NVR GetCapabilities)', () => {
    const sut = parseXml(`<tt:TLS1.2 xmlns:tt="${NS.tt}">true</tt:TLS1.2 >`);
    expect([sut.local, sut.text]).to.deep.equal(['TLS1.2', 'true']);
  });

  it('nests children in document order and keeps text raw (untrimmed)', () => {
    const sut = parseXml('<a>\n  <b>1</b>\n  <c> 2 </c>\n</a>');
    expect(sut.children.map((c) => [c.local, c.text])).to.deep.equal([['b', '1'], ['c', ' 2 ']]);
    expect(textAt(sut, ['', 'c'])).to.equal('2');
  });

  it('keeps no answer alive through its caches (a cached tag or name is a copy, not a view into the answer)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // 40 answers of ~1 MB, each with tags and names seen nowhere else: the caches keep those tags.
    for (let i = 0; i < 40; i++) {
      parseXml(`<r${i}x xmlns="urn:cache-${i}" a="${'v'.repeat(100)}"><longer-element-name-${i}/><!--${'p'.repeat(1_000_000)}--></r${i}x>`);
    }
    gc();
    expect(process.memoryUsage().heapUsed - before).to.be.below(8_000_000);
  });
});

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { scanXml, XmlSyntaxError, type ScanHandler } from '../../../../workers/probes/onvif/xml-scanner.js';
import { FIXTURES } from './replay-server.js';

/** The events a scan reports, as one flat list (text runs merged), to compare with saxes. */
function eventsOf(xml: string): string[] {
  const out: string[] = [];
  const handler: ScanHandler = {
    open: (name, attrs) => out.push(`<${name} ${JSON.stringify(Object.entries(attrs))}`),
    close: () => out.push('>'),
    text: (data) => (out.length > 0 && out[out.length - 1].startsWith('"') ? (out[out.length - 1] += data) : out.push(`"${data}`)),
  };
  scanXml(xml, handler);
  return out;
}

/** The same events from saxes, an independent, well-tested XML parser (dev dependency only). */
function saxesEventsOf(xml: string): string[] {
  const out: string[] = [];
  const sax = new SaxesParser({ xmlns: false });
  let depth = 0;
  const addText = (data: string) => {
    if (depth === 0) return;
    if (out.length > 0 && out[out.length - 1].startsWith('"')) out[out.length - 1] += data;
    else out.push(`"${data}`);
  };
  sax.on('opentag', (tag) => {
    depth++;
    out.push(`<${tag.name} ${JSON.stringify(Object.entries(tag.attributes))}`);
  });
  sax.on('closetag', () => {
    depth--;
    out.push('>');
  });
  sax.on('text', addText);
  sax.on('cdata', addText);
  sax.write(xml).close();
  return out;
}

describe('XML scanner (ONVIF reader)', () => {
  const captures = readdirSync(FIXTURES).flatMap((vendor) => readdirSync(join(FIXTURES, vendor)).map((file) => join(FIXTURES, vendor, file)));

  it('reports exactly what saxes reports for every well-formed fixture, and refuses what saxes refuses', () => {
    let compared = 0;
    for (const file of captures) {
      const xml = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      let expected: string[] | Error;
      try {
        expected = saxesEventsOf(xml);
      } catch (err) {
        expected = err as Error;
      }
      if (expected instanceof Error) {
        expect(() => eventsOf(xml), file).to.throw(XmlSyntaxError);
      } else {
        expect(eventsOf(xml), file).to.deep.equal(expected);
        compared++;
      }
    }
    expect(compared).to.be.greaterThan(20);
  });

  const agreed: Array<[string, string]> = [
    ['comments and processing instructions anywhere', '<!-- a --><?pi x?><a><!--b--><?pi y?>t</a><!-- c -->'],
    ['both quote styles, spaces around =, self-closing tags', `<a x = "1" y='2'><b/><c z="&amp;&#65;"/></a>`],
    ['line ends and tabs in attribute values become spaces', '<a x="1\r\n2\t3\n4"/>'],
    ['CRLF in text becomes LF', '<a>1\r\n2\r3</a>'],
    ['an XML declaration with encoding and standalone', `<?xml version='1.0' encoding="UTF-8" standalone='yes'?>\n<a/>`],
    ['CDATA with markup inside', '<a><![CDATA[<b>]]]]><![CDATA[>]]></a>'],
    ['non-ASCII names and text', '<设备 名称="雪亮">郎溪</设备>'],
    ['white space before the > of end tags', '<s:a><s:b>x</s:b \r\n\t></s:a  >'],
    ['an end tag whose name starts like the open one', '<ab><a>1</a></ab>'],
    ['repeated tags with a quoted > (never taken from the tag cache)', '<r><a x="1>2"/><a x="1>2"/><a x="1>3"/><a x="1>2" y="0"/></r>'],
  ];
  for (const [what, xml] of agreed) {
    it(`agrees with saxes on ${what}`, () => {
      expect(eventsOf(xml)).to.deep.equal(saxesEventsOf(xml));
    });
  }

  it('tells apart long tags of the same length and ending (a cached tag is compared whole)', () => {
    const tail = `tail="${'t'.repeat(80)}"`;
    const documents = ['a', 'b', 'c'].map((c) => `<r xmlns:${c}="urn:${c.repeat(200)}" ${tail}><${c}:x/></r>`);
    for (const xml of [...documents, ...documents.reverse()]) expect(eventsOf(xml), xml.slice(0, 20)).to.deep.equal(saxesEventsOf(xml));
  });

  const refused: Array<[string, string]> = [
    ['a mismatched end tag', '<a><b></c></a>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['< in an attribute value', '<a x="<"/>'],
    ['an attribute without whitespace before it', '<a x="1"y="2"/>'],
    ['an XML declaration after the start', ' <?xml version="1.0"?><a/>'],
    ['an unclosed comment', '<a><!-- never</a>'],
    ['an unclosed CDATA section', '<a><![CDATA[ never</a>'],
    ['text after the root', '<a/>tail'],
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['a reference to a non-character', '<a>&#0;</a>'],
    ['a DOCTYPE inside the root', '<a><!DOCTYPE x></a>'],
    ['a name starting with a digit', '<1a/>'],
    ['an end tag longer than the open name', '<a><b></bc></a>'],
    ['an end tag shorter than the open name', '<a><bc></b></a>'],
    ['an end tag with something after the name', '<a><b></b x></a>'],
    ['an end tag outside the root', '<a/></a>'],
    ['an end tag cut off', '<a><b></b'],
  ];
  for (const [what, xml] of refused) {
    it(`refuses ${what}, as saxes does`, () => {
      expect(() => saxesEventsOf(xml)).to.throw();
      expect(() => eventsOf(xml)).to.throw(XmlSyntaxError);
    });
  }
});

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearAnswerMemo, learn, recall, type AnswerReader } from '../../../../workers/probes/onvif/answer-memo.js';
import { parseDeviceInformation, systemDateAndTimeTexts, type DeviceInformation, type SystemDateAndTimeTexts } from '../../../../workers/probes/onvif/responses.js';
import { NS, parseXml, XmlProtocolError } from '../../../../workers/probes/onvif/xml.js';
import { FIXTURES } from './replay-server.js';

const CLOCK: AnswerReader<SystemDateAndTimeTexts> = { name: 'clock', read: systemDateAndTimeTexts };
const IDENTITY: AnswerReader<DeviceInformation> = { name: 'identity', read: parseDeviceInformation };

/** What callOnvif does with a successful answer: recall, else parse, read and learn. */
function readThrough<T extends Record<string, string | null>>(reader: AnswerReader<T>, text: string): { texts: T; memo: boolean } {
  const known = recall(reader, text);
  if ('texts' in known) return { texts: known.texts, memo: true };
  const texts = reader.read(parseXml(text));
  if (known.sighting) learn(reader, text, known.sighting, texts);
  return { texts, memo: false };
}

/** Every element text of digits only gets new digits (1–4 of them, so lengths change too). */
function newNumbers(text: string, random: () => number): string {
  return text.replace(/>(\s*)\d{1,9}(?=\s*<)/g, (_, space: string) => `>${space}${Math.floor(random() * 10 ** (1 + Math.floor(random() * 4)))}`);
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const soap = (body: string) =>
  `<s:Envelope xmlns:s="${NS.soap12}" xmlns:tds="${NS.tds}" xmlns:tt="${NS.tt}"><s:Body>${body}</s:Body></s:Envelope>`;
const clock = (hour: string, tz = 'CST-8') =>
  soap(`<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
    `<tt:TimeZone><tt:TZ>${tz}</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>${hour}</tt:Hour><tt:Minute>5</tt:Minute><tt:Second>7</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>2026</tt:Year><tt:Month>11</tt:Month><tt:Day>27</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`);

describe('onvif/answer-memo', () => {
  beforeEach(clearAnswerMemo);

  describe('every clock and identity capture: answers that differ only in their numbers read as a full parse reads them', () => {
    const files = readdirSync(FIXTURES).flatMap((vendor) =>
      readdirSync(join(FIXTURES, vendor))
        .filter((f) => /^(GetSystemDateAndTime|GetDeviceInformation)\.xml$/.test(f))
        .map((file) => ({ vendor, file, text: readFileSync(join(FIXTURES, vendor, file), 'utf8') })),
    );
    it('finds the captures', () => expect(files.length).to.be.at.least(20));
    for (const { vendor, file, text } of files) {
      it(`${vendor}/${file}`, () => {
        const reader = (file.startsWith('GetSystem') ? CLOCK : IDENTITY) as AnswerReader<Record<string, string | null>>;
        const random = seeded(vendor.length * 7919 + file.length);
        let remembered = 0;
        for (let i = 0; i < 60; i++) {
          const answer = i < 2 ? text : newNumbers(text, random);
          const sut = readThrough(reader, answer);
          expect(sut.texts, `answer ${i}`).to.deep.equal(reader.read(parseXml(answer)));
          if (sut.memo) remembered++;
        }
        // The third sighting of a skeleton on is recalled (every capture here keeps its numbers in plain elements).
        expect(remembered).to.equal(58);
      });
    }
  });

  it('the numbers come from the answer at hand: hour 9 → 23 → 0, minute and TZ fixed', () => {
    for (const hour of ['9', '10', '11']) readThrough(CLOCK, clock(hour));
    for (const hour of ['23', '0', '0012']) {
      const sut = readThrough(CLOCK, clock(hour));
      expect(sut.memo).to.equal(true);
      expect([sut.texts.hour, sut.texts.minute, sut.texts.tz]).to.deep.equal([hour, '5', 'CST-8']);
    }
  });

  it('white space around a number belongs to the skeleton; the number read is trimmed as textAt trims', () => {
    for (const hour of [' 7 ', ' 8 ']) readThrough(CLOCK, clock(hour));
    expect(readThrough(CLOCK, clock(' 7 ')).texts.hour).to.equal('7');
    expect(readThrough(CLOCK, clock(' 19 '))).to.deep.include({ memo: true });
    expect(readThrough(CLOCK, clock('19')).memo, 'no spaces: another skeleton').to.equal(false);
  });

  it('other text that differs is another skeleton: a new TZ is parsed, not recalled with the old one', () => {
    for (let i = 0; i < 3; i++) readThrough(CLOCK, clock('9'));
    const sut = readThrough(CLOCK, clock('9', 'CST-7'));
    expect([sut.memo, sut.texts.tz]).to.deep.equal([false, 'CST-7']);
  });

  // Truth table of what is never recalled (each answer sighted five times):
  //   NUL in the answer                      → no skeleton at all
  //   private-use character in the answer    → skeleton not learned (could fake a marker)
  //   a field mixing a number with a comment → skeleton not learned (a field is one run or fixed text)
  //   the reading fails (no response element) → nothing learned (only successful readings are)
  const never: Array<[string, string, AnswerReader<Record<string, string | null>>]> = [
    ['NUL', clock('9').replace('NTP', 'N\u0000TP'), CLOCK as AnswerReader<Record<string, string | null>>],
    ['private-use character', clock('9', 'CST\uE001'), CLOCK as AnswerReader<Record<string, string | null>>],
    ['mixed field', clock('1<!-- -->2'), CLOCK as AnswerReader<Record<string, string | null>>],
    ['no response element', soap('<tds:Other>5</tds:Other>'), IDENTITY as AnswerReader<Record<string, string | null>>],
  ];
  for (const [what, answer, reader] of never) {
    it(`never recalled: ${what}`, () => {
      for (let i = 0; i < 5; i++) {
        const known = recall(reader, answer);
        expect('texts' in known, `sighting ${i}`).to.equal(false);
        let texts: Record<string, string | null>;
        try {
          texts = reader.read(parseXml(answer));
        } catch (err) {
          expect(err).to.be.instanceOf(XmlProtocolError);
          continue;
        }
        if ('sighting' in known && known.sighting) learn(reader, answer, known.sighting, texts);
      }
    });
  }
});

import { expect } from 'chai';
import { chunkPayloads, InProcessEventBus, PgNotifyEventBus, type StateChangeEvent } from '../../../server/events/state-events.js';
import { openDatabase } from '../../../server/storage/db.js';
import { backendNames, testDatabaseUrl } from '../../support/backends.js';

function events(n: number): StateChangeEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: i + 1, cameraId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, deviceId: `341821000013200${String(i).padStart(5, '0')}`,
    name: `梅渚镇路口${i}号杆`, town: 'meizhu', network: 'sky', from: 'online', to: 'offline',
    at: new Date(1_700_000_000_000 + i).toISOString(), cause: 'host down: rtsp: timeout; onvif: timeout',
  }));
}

function collect(bus: { subscribe(h: (e: StateChangeEvent[]) => void): () => void }, want: number): Promise<StateChangeEvent[]> {
  return new Promise((resolve, reject) => {
    const got: StateChangeEvent[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${got.length}/${want} events arrived`)), 10_000);
    const off = bus.subscribe((batch) => {
      got.push(...batch);
      if (got.length >= want) {
        clearTimeout(timer);
        off();
        resolve(got);
      }
    });
  });
}

describe('state events', () => {
  it('splits a burst into NOTIFY payloads under the 8000-byte limit, losing nothing', () => {
    const chunks = chunkPayloads(events(500));
    expect(chunks.length).to.be.greaterThan(1);
    for (const c of chunks) expect(Buffer.byteLength(c)).to.be.below(8000);
    expect(chunks.flatMap((c) => JSON.parse(c) as StateChangeEvent[])).to.deep.equal(events(500));
  });

  it('in-process bus delivers to every subscriber', async () => {
    const sut = new InProcessEventBus();
    const a = collect(sut, 3);
    const b = collect(sut, 3);
    await sut.publish(events(3));
    expect(await a).to.have.length(3);
    expect(await b).to.have.length(3);
    await sut.close();
  });

  if (backendNames().includes('postgres')) {
    it('LISTEN/NOTIFY carries a 500-event burst from one database handle to another [postgres]', async () => {
      const url = testDatabaseUrl()!;
      const publisherDb = await openDatabase({ databaseUrl: url, pgliteDir: '' });
      const listenerDb = await openDatabase({ databaseUrl: url, pgliteDir: '' });
      const publisher = new PgNotifyEventBus(() => publisherDb.connect());
      const listener = new PgNotifyEventBus(() => listenerDb.connect());
      try {
        const arrived = collect(listener, 500);
        await listener.ensureListening();
        await publisher.publish(events(500));
        expect(await arrived).to.deep.equal(events(500));
      } finally {
        await listener.close();
        await publisher.close();
        await publisherDb.close();
        await listenerDb.close();
      }
    });
  }
});

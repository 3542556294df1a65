import { expect } from 'chai';
import { HostGate } from '../../workers/host-gate.js';

/** Work items that finish when the test says so; `running` lists what is in progress, in start order. */
function harness(perHost: number, options: { maxPerHost?: number; growAfterMs?: number } = {}) {
  const running: string[] = [];
  const finishers = new Map<string, () => void>();
  const clock = { ms: 0 };
  const gate = new HostGate<string>(perHost, (item) => {
    running.push(item);
    return new Promise<void>((resolve) => finishers.set(item, () => {
      running.splice(running.indexOf(item), 1);
      resolve();
    }));
  }, { ...options, now: () => clock.ms });
  const finish = async (item: string) => {
    finishers.get(item)!();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { gate, running, finish, clock };
}

describe('HostGate', () => {
  it('runs at most perHost rounds per host, the rest in order as rounds end; other hosts are not held up', async () => {
    const { gate, running, finish } = harness(2);
    for (const ch of ['a1', 'a2', 'a3', 'a4']) gate.run('nvr-a', ch);
    gate.run('cam-b', 'b1');
    expect(running).to.deep.equal(['a1', 'a2', 'b1']);
    expect(gate.waitingCount).to.equal(2);
    await finish('a1');
    expect(running).to.deep.equal(['a2', 'b1', 'a3']);
    await finish('a2');
    await finish('a3');
    expect(running).to.deep.equal(['b1', 'a4']);
    expect(gate.waitingCount).to.equal(0);
  });

  it('a host marked silent starts everything queued for it at once, and what comes later, until it answers again', async () => {
    // perHost 2; an NVR's channels c1..c6 arrive; c1 finds the device silent.
    //   step                         running after            waiting
    //   c1..c5 arrive                c1 c2                    c3 c4 c5
    //   c1 silent, ends              c2 c3 c4 c5              —
    //   c6 arrives (still silent)    c2 c3 c4 c5 c6           —
    //   c2 answers, ends             c3 c4 c5 c6              —
    //   c7, c8 arrive                c3 c4 c5 c6              c7 c8   (limit again: 4 running ≥ 2)
    //   c3, c4 end                   c5 c6                    c7 c8   (lanes over the limit end)
    //   c5 ends                      c6 c7                    c8
    const { gate, running, finish } = harness(2);
    for (const ch of ['c1', 'c2', 'c3', 'c4', 'c5']) gate.run('nvr', ch);
    expect(running).to.deep.equal(['c1', 'c2']);
    gate.markSilent('nvr', true); // what the scheduler does when c1's round got no answer, before it ends
    await finish('c1');
    expect(running).to.deep.equal(['c2', 'c3', 'c4', 'c5']);
    gate.run('nvr', 'c6');
    expect(running).to.deep.equal(['c2', 'c3', 'c4', 'c5', 'c6']);
    gate.markSilent('nvr', false);
    await finish('c2');
    gate.run('nvr', 'c7');
    gate.run('nvr', 'c8');
    expect(running).to.deep.equal(['c3', 'c4', 'c5', 'c6']);
    expect(gate.waitingCount).to.equal(2);
    await finish('c3');
    await finish('c4');
    expect(running).to.deep.equal(['c5', 'c6']);
    await finish('c5');
    expect(running).to.deep.equal(['c6', 'c7']);
    expect(gate.waitingCount).to.equal(1);
  });

  it('the silent mark ends when nothing runs or waits on the host: its next round is held to the limit again', async () => {
    const { gate, running, finish } = harness(1);
    gate.run('nvr', 'c1');
    gate.markSilent('nvr', true);
    await finish('c1');
    gate.run('nvr', 'c2');
    gate.run('nvr', 'c3');
    expect(running).to.deep.equal(['c2']);
    expect(gate.waitingCount).to.equal(1);
  });

  it('marking an idle host silent changes nothing', () => {
    const { gate, running } = harness(1);
    gate.markSilent('nvr', true);
    gate.run('nvr', 'c1');
    gate.run('nvr', 'c2');
    expect(running).to.deep.equal(['c1']);
  });

  it('a slow host gets one more lane for each round that waited growAfterMs, up to maxPerHost, and gives them back once served in time', async () => {
    // perHost 1, maxPerHost 3, growAfterMs 100; a slow NVR's channels s1..s6 (t in ms).
    //   t    step                          running          waiting      lanes
    //   0    s1..s4 arrive                 s1               s2 s3 s4     1
    //   150  s5 arrives (s2..s4 overdue)   s1 s2 s3         s4 s5        3 (the cap)
    //   150  s1 ends: its lane takes s4    s2 s3 s4         s5           3
    //   160  s2 ends: s5 waited 10 ms      s3 s4            s5           2 (a lane above the limit, not overdue, ends)
    //   300  s6 arrives (s5 overdue)       s3 s4 s5         s6           3
    //   300  s3, s4 end (s6 not overdue)   s5               s6           1
    //   300  s5 ends                       s6               —            1
    const { gate, running, finish, clock } = harness(1, { maxPerHost: 3, growAfterMs: 100 });
    for (const ch of ['s1', 's2', 's3', 's4']) gate.run('nvr', ch);
    expect(running).to.deep.equal(['s1']);
    clock.ms = 150;
    gate.run('nvr', 's5');
    expect(running).to.deep.equal(['s1', 's2', 's3']);
    expect(gate.lanesOf('nvr')).to.equal(3);
    await finish('s1');
    expect(running).to.deep.equal(['s2', 's3', 's4']);
    clock.ms = 160;
    await finish('s2');
    expect(running).to.deep.equal(['s3', 's4']);
    expect(gate.waitingCount).to.equal(1);
    clock.ms = 300;
    gate.run('nvr', 's6');
    expect(running).to.deep.equal(['s3', 's4', 's5']);
    await finish('s3');
    await finish('s4');
    expect(running).to.deep.equal(['s5']);
    expect(gate.lanesOf('nvr')).to.equal(1);
    await finish('s5');
    expect(running).to.deep.equal(['s6']);
    expect(gate.waitingCount).to.equal(0);
  });

  it('without maxPerHost above perHost a slow host keeps its lanes however long rounds wait', () => {
    const { gate, running, clock } = harness(2);
    for (const ch of ['a', 'b', 'c', 'd']) gate.run('nvr', ch);
    clock.ms = 60_000;
    gate.run('nvr', 'e');
    expect(running).to.deep.equal(['a', 'b']);
    expect(gate.waitingCount).to.equal(3);
  });
});

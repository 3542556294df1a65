import { expect } from 'chai';
import { HostGate } from '../../workers/host-gate.js';

/** Work items that finish when the test says so; `running` lists what is in progress, in start order. */
function harness(perHost: number) {
  const running: string[] = [];
  const finishers = new Map<string, () => void>();
  const gate = new HostGate<string>(perHost, (item) => {
    running.push(item);
    return new Promise<void>((resolve) => finishers.set(item, () => {
      running.splice(running.indexOf(item), 1);
      resolve();
    }));
  });
  const finish = async (item: string) => {
    finishers.get(item)!();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { gate, running, finish };
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
});

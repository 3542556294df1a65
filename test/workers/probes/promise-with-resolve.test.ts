import { expect } from 'chai';
import { promiseWithResolve } from '../../../workers/probes/promise-with-resolve.js';

describe('promiseWithResolve', () => {
  it('hands each call the resolver of its own promise, also when resolved out of order', async () => {
    const [first, resolveFirst] = promiseWithResolve<string>();
    const [second, resolveSecond] = promiseWithResolve<string>();
    resolveSecond('b');
    resolveFirst('a');
    expect(await Promise.all([first, second])).to.deep.equal(['a', 'b']);
  });

  it('keeps the first value when resolved twice', async () => {
    const [promise, resolve] = promiseWithResolve<number>();
    resolve(1);
    resolve(2);
    expect(await promise).to.equal(1);
  });
});

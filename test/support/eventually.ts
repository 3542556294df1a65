/** Retries an assertion until it passes or `ms` run out (then its last failure is thrown). */
export async function expectEventually(assertion: () => Promise<unknown>, ms: number, everyMs = 200): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

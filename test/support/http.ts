/** Small fetch helpers for API suites. */

/** A response body, typed loosely: the suites assert its shape field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (res: Response): Promise<any> => res.json();

/** A fetch init with a JSON body. */
export const sendJson = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

import { expect } from 'chai';
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { postSoap, soapEnvelope, type SoapCall } from '../../../../workers/probes/onvif/soap-client.js';
import { startStalledListener } from '../../../support/stalled-listener.js';

/** A raw TCP server on port 0 whose connection handler scripts the answer; tracks its sockets. */
async function rawServer(onConnection: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.resume(); // read to EOF, so the client's close is seen even when the script ignores data
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/onvif/device_service`),
    allClosed: () => Promise.all([...sockets].map((s) => new Promise((r) => (s.destroyed ? r(null) : s.once('close', r))))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads one HTTP request head + body from the socket, then calls `answer`. */
const onRequest = (answer: (socket: Socket, request: string) => void) => (socket: Socket) => {
  let data = '';
  socket.on('data', (chunk) => {
    data += chunk.toString('latin1');
    const head = data.indexOf('\r\n\r\n');
    const length = Number(/content-length:\s*(\d+)/i.exec(data)?.[1] ?? 0);
    if (head >= 0 && data.length >= head + 4 + length) answer(socket, data);
  });
};

const call = (url: URL, over: Partial<SoapCall> = {}): SoapCall => ({
  url,
  action: 'http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime',
  envelope: soapEnvelope('<tds:GetSystemDateAndTime xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/>'),
  deadline: performance.now() + 2000,
  connectTimeoutMs: 2000,
  maxResponseBytes: 4096,
  ...over,
});

describe('onvif/soap-client postSoap', () => {
  let sut: Awaited<ReturnType<typeof rawServer>> | undefined;
  afterEach(async () => {
    if (!sut) return;
    await Promise.race([sut.allClosed(), new Promise((_, reject) => setTimeout(() => reject(new Error('a socket was left open')), 2000))]);
    await sut.close();
    sut = undefined;
  });

  it('POSTs a SOAP 1.2 envelope with the action in Content-Type, no keep-alive', async () => {
    let request = '';
    sut = await rawServer(onRequest((socket, req) => {
      request = req;
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    }));
    const result = await postSoap(call(sut.url));
    expect(result).to.deep.include({ ok: true, status: 200 });
    expect(request).to.match(/^POST \/onvif\/device_service HTTP\/1.1\r\n/);
    expect(request).to.include('Content-Type: application/soap+xml; charset=utf-8; action="http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime"');
    expect(request).to.match(/Connection: close/i);
    expect(request).to.include('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetSystemDateAndTime');
  });

  it('reads a body without Content-Length up to the close', async () => {
    sut = await rawServer(onRequest((socket) => socket.end('HTTP/1.0 200 OK\r\nContent-Type: application/soap+xml\r\n\r\n<a/>')));
    const result = await postSoap(call(sut.url));
    expect(result.ok && result.body.toString()).to.equal('<a/>');
  });

  it('a body cut short of its Content-Length is protocol', async () => {
    sut = await rawServer(onRequest((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<a')));
    expect(await postSoap(call(sut.url))).to.deep.include({ ok: false, failure: { kind: 'protocol', detail: 'connection closed after 2 bytes, mid-answer' } });
  });

  it('a non-HTTP answer (SSH banner on the port) is protocol', async () => {
    sut = await rawServer((socket) => socket.end('SSH-2.0-OpenSSH_8.9p1\r\n'));
    const result = await postSoap(call(sut.url));
    expect(!result.ok && result.failure.kind).to.equal('protocol');
  });

  it('a declared Content-Length above the cap is too_large before any body is read', async () => {
    sut = await rawServer(onRequest((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 999999\r\n\r\n')));
    const result = await postSoap(call(sut.url));
    expect(!result.ok && result.failure).to.deep.equal({ kind: 'too_large', detail: 'answer of 999999 bytes exceeds the 4096-byte cap' });
  });

  it('a chunked body growing past the cap is too_large and the request is destroyed', async () => {
    sut = await rawServer(onRequest((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = `400\r\n${'x'.repeat(0x400)}\r\n`;
      const timer = setInterval(() => socket.writable && socket.write(chunk), 1);
      socket.once('close', () => clearInterval(timer));
    }));
    const result = await postSoap(call(sut.url));
    expect(!result.ok && result.failure.kind).to.equal('too_large');
  });

  it('headers but no body before the deadline is timeout, measured from the deadline', async () => {
    sut = await rawServer(onRequest((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n<')));
    const started = performance.now();
    const result = await postSoap(call(sut.url, { deadline: started + 150 }));
    expect(!result.ok && result.failure.kind).to.equal('timeout');
    expect(performance.now() - started).to.be.within(140, 1000);
  });

  it('a deadline already past is an immediate timeout', async () => {
    sut = await rawServer(() => undefined);
    const result = await postSoap(call(sut.url, { deadline: performance.now() - 1 }));
    expect(!result.ok && result.failure.kind).to.equal('timeout');
  });

  it('a connect that never completes is a timeout named for the connection, at the connect limit', async () => {
    const stalled = await startStalledListener();
    try {
      const started = performance.now();
      const result = await postSoap(call(new URL(`http://127.0.0.1:${stalled.port}/onvif/device_service`), { connectTimeoutMs: 200, deadline: started + 3000 }));
      expect(!result.ok && result.failure).to.deep.equal({ kind: 'timeout', detail: 'no TCP connection within 200 ms' });
      expect(performance.now() - started).to.be.within(190, 2000);
    } finally {
      await stalled.close();
    }
  });

  it('when the connect limit reaches past the deadline, the deadline names the failure', async () => {
    const stalled = await startStalledListener();
    try {
      const result = await postSoap(call(new URL(`http://127.0.0.1:${stalled.port}/onvif/device_service`), { connectTimeoutMs: 5000, deadline: performance.now() + 200 }));
      expect(!result.ok && result.failure.kind).to.equal('timeout');
      expect(!result.ok && result.failure.detail).to.match(/^no complete answer within (19[0-9]|200) ms$/);
    } finally {
      await stalled.close();
    }
  });

  it('a connection made in time but an answer that never comes is timed by the deadline, not the connect limit', async () => {
    sut = await rawServer(() => undefined);
    const started = performance.now();
    const result = await postSoap(call(sut.url, { connectTimeoutMs: 100, deadline: started + 400 }));
    expect(!result.ok && result.failure.kind).to.equal('timeout');
    // The budget is what is left of the deadline when the call starts, a fraction of a ms after `started`.
    expect(!result.ok && result.failure.detail).to.match(/^no complete answer within (39[0-9]|400) ms$/);
    expect(performance.now() - started).to.be.within(390, 2000);
  });

  it('a refused connection is refused', async () => {
    const closed = await rawServer(() => undefined);
    await closed.close();
    const result = await postSoap(call(closed.url));
    expect(!result.ok && result.failure).to.deep.equal({ kind: 'refused', detail: 'connection refused' });
  });

  it('works against node:http with a chunked answer', async () => {
    const server = http.createServer((_req, res) => {
      res.write('<a>');
      res.end('</a>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const result = await postSoap(call(new URL(`http://127.0.0.1:${port}/`)));
    await new Promise((resolve) => server.close(resolve));
    expect(result.ok && result.body.toString()).to.equal('<a></a>');
  });
});

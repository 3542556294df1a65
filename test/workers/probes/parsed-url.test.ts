import { expect } from 'chai';
import { parsedUrl } from '../../../workers/probes/parsed-url.js';
import { endpointOf } from '../../../workers/probes/tcp.probe.js';

describe('parsedUrl (URL text parsed once)', () => {
  it('returns the same parse for the same text, and null for text that is not a URL', () => {
    const a = parsedUrl('rtsp://10.0.0.2:8554/Streaming/Channels/101');
    expect(a?.hostname).to.equal('10.0.0.2');
    expect(parsedUrl('rtsp://10.0.0.2:8554/Streaming/Channels/101')).to.equal(a);
    expect(parsedUrl('not a url')).to.equal(null);
    expect(parsedUrl('not a url')).to.equal(null);
  });

  it('feeds endpointOf: host without brackets, the scheme default port, null without a host', () => {
    expect(endpointOf('rtsp://[::1]/live')).to.deep.equal({ host: '::1', port: 554 });
    expect(endpointOf('http://cam.local/onvif/device_service')).to.deep.equal({ host: 'cam.local', port: 80 });
    expect(endpointOf('tcp://10.0.0.3:37777')).to.deep.equal({ host: '10.0.0.3', port: 37777 });
    expect(endpointOf('tcp://10.0.0.3')).to.equal(null); // tcp: has no default port
    expect(endpointOf('garbage')).to.equal(null);
  });
});

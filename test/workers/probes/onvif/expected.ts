/** Expected values per vendor capture, read by eye from test/fixtures/onvif (shared by the fixture and probe tests). */

/** UTCDateTime and raw TZ per vendor, read by eye from the captures. */
export const CLOCKS: Record<string, { utc: string; tz: string; dst: boolean }> = {
  'agsh-onvif-mockup': { utc: '2014-12-24T19:14:37.000Z', tz: 'MoroccoStandardTime0', dst: true }, // no LocalDateTime
  'axis-hammeraj': { utc: '2024-07-09T19:49:06.000Z', tz: 'BRT3', dst: true },
  'axis-q6045-e': { utc: '2018-02-27T23:09:59.000Z', tz: 'MST7MDT,M3.2.0,M11.1.0', dst: true },
  'dlink-dcs-6511': { utc: '2023-03-07T16:14:53.000Z', tz: 'COT5', dst: true },
  'dvc-dcn-bm2220lpr': { utc: '2026-09-28T04:01:37.000Z', tz: 'GMT0BST,M3.5.0/1,M10.5.0', dst: false },
  'happytimesoft-ipcamera': { utc: '2023-03-02T19:24:42.000Z', tz: 'UTC-5:00', dst: false }, // no LocalDateTime
  'hikvision-ds-2cd2012-i': { utc: '2018-02-27T18:34:41.000Z', tz: 'CST7:00:00', dst: false },
  'hikvision-ds-2df7276-ael': { utc: '2018-02-27T18:28:01.000Z', tz: 'CST7:00:00DST01:00:00,M3.2.0/02:00:00,M11.1.0/02:00:00', dst: true },
  'onvif-ipnc-ipg-8150pss': { utc: '2024-02-20T13:13:01.000Z', tz: 'CST-08:00', dst: false },
  'sunba-performance-series': { utc: '2024-04-05T17:16:28.000Z', tz: 'CST5:00:00', dst: false },
  'unbranded-enp1a14-ir-25x': { utc: '2023-03-06T14:13:45.000Z', tz: 'EST+5:00:00EDT04:00:00,M3.5.0/01:00:00,M10.5.0/02:00:00', dst: true },
};

/** Manufacturer / Model / FirmwareVersion per vendor. */
export const IDENTITIES: Record<string, [string, string, string]> = {
  'agsh-onvif-mockup': ['Mockup Manufacturer', 'Mockup Model', 'Mockup_15_14_13'],
  'axis-m2025-le': ['AXIS', 'M2025-LE', '9.80.3.13'],
  'axis-q6045-e': ['AXIS', 'AXIS Q6045-E', '5.55.1.2'],
  'dlink-dcs-6511': ['D-Link Corporation', 'DCS-6511', '1.16.00'],
  'dvc-dcn-bm2220lpr': ['DVC', 'DCN-BM2220LPR', '5.1'],
  'happytimesoft-ipcamera': ['Happytimesoft', 'IPCamera', '2.4'],
  'hikvision-ds-2cd2012-i': ['HIKVISION', 'DS-2CD2012-I', 'V5.2.0 build 140721'],
  'hikvision-ds-2df7276-ael': ['HIKVISION', 'DS-2DF7276-AEL', 'V5.1.6 build 140401'],
  'onvif-ipnc-ipg-8150pss': ['ONVIF_IPNC', 'IPG-8150PSS', '1.3.0-20210203CN-PT'],
  'sunba-performance-series': ['SUNBA', 'Performance-Series', 'QIPC-B2202.3.73.C06290.NB.230628'],
  'unbranded-enp1a14-ir-25x': ['ONVIF', 'ENP1A14-IR/25X', 'V5.5.3 build 180822'],
};

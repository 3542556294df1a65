import { NS, XmlProtocolError, child, childrenOf, type XmlElement } from './xml.js';

/** A SOAP Fault as ONVIF devices send it (SOAP 1.2; SOAP 1.1 read on a best-effort basis). */
export interface SoapFault {
  /** `Sender` / `Receiver` (SOAP 1.2), or the SOAP 1.1 faultcode local name (`Client`, `Server`). */
  code: string;
  /** Subcode local names, outermost first: `['OperationProhibited', 'Password']`. */
  subcodes: string[];
  /** First Reason/Text (SOAP 1.1: faultstring), trimmed; '' when absent. */
  reason: string;
}

/** What a fault means for a liveness check. */
export type FaultKind = 'auth' | 'unsupported' | 'error';

/**
 * The SOAP Body of an envelope.
 * @throws XmlProtocolError when the root is not a SOAP 1.2 (or 1.1) Envelope with a Body.
 */
export function soapBody(root: XmlElement): XmlElement {
  const soapNs = root.ns === NS.soap12 || root.ns === NS.soap11 ? root.ns : null;
  if (!soapNs || root.local !== 'Envelope') {
    throw new XmlProtocolError(`not a SOAP envelope (root element <${root.local}>)`);
  }
  const body = child(root, soapNs, 'Body');
  if (!body) throw new XmlProtocolError('SOAP envelope without a Body');
  return body;
}

/** Local part of a QName value such as `ter:NotAuthorized` or `SOAP-ENV:Sender`. */
function localOf(qname: string): string {
  const trimmed = qname.trim();
  return trimmed.slice(trimmed.lastIndexOf(':') + 1);
}

function readSoap12Fault(fault: XmlElement): SoapFault {
  const ns = NS.soap12;
  const code = child(fault, ns, 'Code');
  const subcodes: string[] = [];
  let sub = child(code, ns, 'Subcode');
  while (sub && subcodes.length < 8) {
    const value = child(sub, ns, 'Value');
    if (value && value.text.trim()) subcodes.push(localOf(value.text));
    sub = child(sub, ns, 'Subcode');
  }
  const texts = childrenOf(child(fault, ns, 'Reason'), ns, 'Text');
  const english = texts.find((t) => (t.attrs['{http://www.w3.org/XML/1998/namespace}lang'] ?? '').startsWith('en'));
  return {
    code: localOf(child(code, ns, 'Value')?.text ?? ''),
    subcodes,
    reason: (english ?? texts[0])?.text.trim() ?? '',
  };
}

/**
 * The Fault in an envelope's Body, or null when the Body holds no Fault.
 * @throws XmlProtocolError when the root is not a SOAP envelope.
 */
export function parseFault(root: XmlElement): SoapFault | null {
  const body = soapBody(root);
  const fault12 = child(body, NS.soap12, 'Fault');
  if (fault12) return readSoap12Fault(fault12);
  const fault11 = child(body, NS.soap11, 'Fault');
  if (!fault11) return null;
  const text = (local: string) => fault11.children.find((c) => c.local === local)?.text.trim() ?? '';
  return { code: localOf(text('faultcode')), subcodes: [], reason: text('faultstring') };
}

const AUTH_SUBCODES = new Set(['NotAuthorized', 'FailedAuthentication', 'InvalidSecurity', 'InvalidSecurityToken']);
const UNSUPPORTED_SUBCODES = new Set(['ActionNotSupported', 'Action', 'NoSuchService', 'OperationNotSupported']);

/**
 * Classifies a fault for the probe verdict. First matching row wins:
 *
 * | subcodes / reason                                                      | kind        |
 * |------------------------------------------------------------------------|-------------|
 * | NotAuthorized, wsse FailedAuthentication / InvalidSecurity(Token)      | auth        |
 * | OperationProhibited together with Password                             | auth        |
 * | reason "401", "Unauthorized", "not authorized" (gSOAP, no subcode)     | auth        |
 * | ActionNotSupported, Action, NoSuchService, OperationNotSupported       | unsupported |
 * | reason "Method '…' not implemented" (gSOAP, no subcode)                | unsupported |
 * | anything else (InvalidArgVal, Receiver without subcode, …)             | error       |
 */
export function classifyFault(fault: SoapFault): FaultKind {
  const subs = fault.subcodes;
  if (subs.some((s) => AUTH_SUBCODES.has(s))) return 'auth';
  if (subs.includes('OperationProhibited') && subs.includes('Password')) return 'auth';
  if (/\b401\b|unauthori[sz]ed|not authori[sz]ed/i.test(fault.reason)) return 'auth';
  if (subs.some((s) => UNSUPPORTED_SUBCODES.has(s))) return 'unsupported';
  if (/method\s+'[^']*'\s+not\s+implemented/i.test(fault.reason)) return 'unsupported';
  return 'error';
}

/** Short operator text for a fault: `Sender/NotAuthorized: Sender not authorized`. */
export function describeFault(fault: SoapFault): string {
  const codes = [fault.code || 'Fault', ...fault.subcodes].join('/');
  const reason = fault.reason.replace(/\s+/g, ' ').slice(0, 160);
  return reason ? `${codes}: ${reason}` : codes;
}

import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { bareHostname, classifyAddress, isBlockedHostname } from './address.js';
import { UrlFailure, failureFromError } from './reasons.js';
import type { LookupAddress, LookupFn } from './types.js';

export interface SafeResolver {
  /** All addresses of the host, each one allowed; throws a `blocked_host` or `dns` failure otherwise. */
  resolve(hostname: string): Promise<LookupAddress[]>;
  /** For the agent's `connect.lookup`: connects only to addresses `resolve` approved. */
  connectLookup: LookupFunction;
}

const defaultLookup: LookupFn = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A name's addresses are kept for the checker's lifetime: a run is short, and it pins what was approved. */
export function createSafeResolver(allowPrivateHosts: boolean, lookup: LookupFn = defaultLookup): SafeResolver {
  const resolved = new Map<string, Promise<LookupAddress[]>>();

  function approve(hostname: string, addresses: LookupAddress[]): LookupAddress[] {
    if (addresses.length === 0) throw new UrlFailure('dns', `${hostname} has no address`);
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind === 'blocked' || (kind === 'private' && !allowPrivateHosts)) {
        const what = kind === 'blocked' ? 'a link-local or cloud metadata address' : 'a private address';
        throw new UrlFailure('blocked_host', `${hostname} resolves to ${address}, ${what}`);
      }
    }
    return addresses;
  }

  function resolve(rawHostname: string): Promise<LookupAddress[]> {
    const hostname = bareHostname(rawHostname).toLowerCase();
    let pending = resolved.get(hostname);
    if (!pending) {
      pending = resolveUncached(hostname);
      resolved.set(hostname, pending);
    }
    return pending;
  }

  async function resolveUncached(hostname: string): Promise<LookupAddress[]> {
    if (isBlockedHostname(hostname)) throw new UrlFailure('blocked_host', `${hostname} is a cloud metadata host`);
    const family = isIP(hostname);
    if (family !== 0) return approve(hostname, [{ address: hostname, family }]);
    let addresses: LookupAddress[];
    try {
      addresses = await lookup(hostname);
    } catch (error) {
      const failure = failureFromError(error);
      throw failure.reason === 'connection' ? new UrlFailure('dns', failure.message) : failure;
    }
    return approve(hostname, addresses);
  }

  const connectLookup = ((
    hostname: string,
    options: { all?: boolean; family?: number },
    callback: (error: unknown, address?: string | LookupAddress[], family?: number) => void,
  ) => {
    resolve(hostname).then(
      (addresses) => {
        const usable = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
        const list = usable.length > 0 ? usable : addresses;
        if (options.all) callback(null, list);
        else callback(null, list[0].address, list[0].family);
      },
      (error: unknown) => callback(error),
    );
  }) as LookupFunction;

  return { resolve, connectLookup };
}

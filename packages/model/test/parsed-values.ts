import type {
  CryptoMapEntry,
  CryptoSession,
  Ident,
  Ikev2Sa,
  IpsecFlow,
  IpsecSa,
  IsakmpSa,
} from '@tunnelwatch/parser';

/**
 * Hand-built parser values (DESIGN.md §4 field names) for the normalization rules: every field present with
 * the value a router would print, overridable per test.
 */

export function ident(cidr: string, protocol = 0, port = 0): Ident {
  const [address, length] = cidr.split('/') as [string, string];
  const prefixLength = Number(length);
  const mask = address.includes(':') ? null : ipv4Mask(prefixLength);
  return { address, mask, prefixLength, protocol, port };
}

function ipv4Mask(prefixLength: number): string {
  const bits = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}

export function sa(overrides: Partial<IpsecSa> & Pick<IpsecSa, 'direction' | 'spi'>): IpsecSa {
  return {
    protocol: 'esp',
    transforms: ['esp-256-aes', 'esp-sha-hmac'],
    compression: null,
    mode: 'tunnel',
    settings: ['Tunnel'],
    connId: 2001,
    flowId: 'SW:1',
    siblingFlags: '80000040',
    cryptoMap: 'VPN',
    initiator: null,
    slot: null,
    remainingKilobytes: 4_500_000,
    remainingSeconds: 3000,
    kilobyteRekeyDisabled: false,
    ivSize: 16,
    replayDetection: true,
    replayWindow: null,
    status: 'ACTIVE(ACTIVE)',
    ...overrides,
  };
}

export function flow(overrides: Partial<IpsecFlow> = {}): IpsecFlow {
  return {
    cryptoMapTag: 'VPN',
    cryptoMapSequence: null,
    localAddress: '192.0.2.1',
    protectedVrf: null,
    ipsecPolicyName: null,
    accessList: null,
    localIdent: ident('10.1.0.0/24'),
    remoteIdent: ident('10.2.0.0/24'),
    peer: { address: '198.51.100.2', port: 500 },
    username: null,
    dynamicAllocatedPeerIp: null,
    action: 'PERMIT',
    flags: ['origin_is_acl'],
    counters: {
      encaps: 100,
      encrypt: 100,
      digest: 100,
      decaps: 90,
      decrypt: 90,
      verify: 90,
      sendErrors: 0,
      recvErrors: 1,
    },
    localEndpoint: { address: '192.0.2.1', port: null },
    remoteEndpoint: { address: '198.51.100.2', port: null },
    plaintextMtu: 1438,
    pathMtu: 1500,
    ipMtu: 1500,
    ipMtuIdb: 'GigabitEthernet0/0',
    ipsecOverhead: null,
    mediaMtu: null,
    currentOutboundSpi: 0x2002,
    currentInboundSpi: null,
    pfs: false,
    dhGroup: null,
    akeGroup: null,
    pqcKeyExchange: null,
    sas: [sa({ direction: 'inbound', spi: 0x1001 }), sa({ direction: 'outbound', spi: 0x2002 })],
    ...overrides,
  };
}

export function isakmpSa(overrides: Partial<IsakmpSa> = {}): IsakmpSa {
  return {
    ipVersion: 4,
    dst: '198.51.100.2',
    src: '192.0.2.1',
    localAddress: null,
    remoteAddress: null,
    state: 'QM_IDLE',
    connId: 1001,
    status: 'ACTIVE',
    slot: null,
    encryption: null,
    hash: null,
    auth: null,
    dhGroup: null,
    lifetimeSeconds: null,
    configuredLifetimeSeconds: null,
    capabilities: null,
    engineId: null,
    ivrf: null,
    type: null,
    role: null,
    rekey: null,
    ...overrides,
  };
}

export function ikev2Sa(overrides: Partial<Ikev2Sa> = {}): Ikev2Sa {
  return {
    tunnelId: 1,
    localAddress: '192.0.2.1',
    localPort: 500,
    remoteAddress: '198.51.100.2',
    remotePort: 500,
    fvrf: null,
    ivrf: null,
    status: 'READY',
    encryption: 'AES-CBC',
    keySize: 256,
    prf: 'SHA256',
    hash: 'SHA256',
    dhGroup: 14,
    authSign: 'PSK',
    authVerify: 'PSK',
    lifetimeSeconds: 86400,
    activeTimeSeconds: 400,
    localSpi: 'A1B2C3D4E5F60708',
    remoteSpi: '0807F6E5D4C3B2A1',
    localId: null,
    remoteId: null,
    ceId: null,
    sessionId: null,
    statusDescription: null,
    initiator: null,
    pqc: null,
    role: null,
    sessionStatus: null,
    ikeCount: null,
    childCount: null,
    childSas: [],
    ...overrides,
  };
}

export function mapEntry(overrides: Partial<CryptoMapEntry> = {}): CryptoMapEntry {
  return {
    name: 'VPN',
    sequence: 10,
    type: 'ipsec-isakmp',
    dynamic: false,
    dynamicMapTemplate: null,
    ipVersion: 4,
    profileInstance: false,
    profileName: null,
    isakmpProfile: null,
    ikev2Profile: null,
    peers: ['198.51.100.2'],
    accessList: 'VPN-ACL',
    accessListEntries: [],
    currentPeer: null,
    lifetimeKilobytes: 4_608_000,
    lifetimeSeconds: 3600,
    responderOnly: false,
    pfs: false,
    dhGroup: null,
    transformSets: [{ name: 'TS', transforms: ['esp-256-aes', 'esp-sha-hmac'] }],
    interfaces: ['GigabitEthernet0/0'],
    incomplete: false,
    ...overrides,
  };
}

export function session(overrides: Partial<CryptoSession> = {}): CryptoSession {
  return {
    interface: 'Tunnel0',
    username: null,
    profile: null,
    group: null,
    assignedAddress: null,
    uptime: '00:10:11',
    peer: { address: '198.51.100.2', port: 500 },
    fvrf: null,
    ivrf: null,
    phase1Id: null,
    description: null,
    status: 'UP-ACTIVE',
    ikeSas: [],
    flows: [],
    ...overrides,
  };
}

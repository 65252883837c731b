import type { CommandId } from '../cli/command-table.js';
import type { RouterConfig } from '../router-config.js';
import type { RouterTruth } from '../types.js';
import { renderCryptoMapAsa } from './crypto-map-asa.js';
import { renderCryptoMapIos } from './crypto-map-ios.js';
import { renderCryptoSessionIos } from './crypto-session-ios.js';
import { renderIkev1SaAsa, renderIkev2SaAsa } from './ike-sa-asa.js';
import { renderIkev2SaIos } from './ikev2-sa-ios.js';
import { renderIpsecSaAsa } from './ipsec-sa-asa.js';
import { renderIpsecSaIos } from './ipsec-sa-ios.js';
import { renderIsakmpSaIos } from './isakmp-sa-ios.js';

/** A show command as the renderer needs it: which one, `detail`, and its filter arguments. */
export type ShowCommand = {
  id: Exclude<Extract<CommandId, `show-${string}`>, 'show-version'>;
  detail: boolean;
  args: Record<string, string>;
};

/** The output lines of a show command (no line ends, no prompt) for this router at the truth's moment. */
export function renderShow(config: RouterConfig, truth: RouterTruth, command: ShowCommand): string[] {
  const { detail, args } = command;
  let tunnels = truth.tunnels;
  if (args.address !== undefined) tunnels = tunnels.filter((tunnel) => tunnel.peer === args.address);
  if (args.name !== undefined) {
    tunnels = tunnels.filter((tunnel) => tunnel.interface.toLowerCase() === args.name!.toLowerCase());
  }
  const asa = config.platform === 'asa';
  switch (command.id) {
    case 'show-ipsec-sa':
      return asa ? renderIpsecSaAsa(tunnels) : renderIpsecSaIos(config, tunnels);
    case 'show-isakmp-sa':
    case 'show-ikev1-sa':
      return asa
        ? renderIkev1SaAsa(tunnels, detail)
        : renderIsakmpSaIos(tunnels, detail, config.render.isakmpHeaderWrapped);
    case 'show-ikev2-sa':
      return asa ? renderIkev2SaAsa(tunnels, detail) : renderIkev2SaIos(tunnels, detail);
    case 'show-crypto-map':
      return asa ? renderCryptoMapAsa(config, truth.tunnels) : renderCryptoMapIos(config, truth.tunnels);
    case 'show-crypto-session':
      return renderCryptoSessionIos(tunnels, detail);
  }
}

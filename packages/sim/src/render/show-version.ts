import type { RouterConfig } from '../router-config.js';

/** `show version`, first lines only: enough for a poller to tell the platform. */
export function renderShowVersion(config: RouterConfig, uptimeSeconds: number): string[] {
  const days = Math.floor(uptimeSeconds / 86400);
  const hours = Math.floor((uptimeSeconds % 86400) / 3600);
  const uptime = `${days} days, ${hours} hours`;
  switch (config.platform) {
    case 'ios':
      return [
        'Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.7(3)M8, RELEASE SOFTWARE (fc2)',
        'Technical Support: http://www.cisco.com/techsupport',
        '',
        `${config.hostname} uptime is ${uptime}`,
        'System image file is "flash0:c2900-universalk9-mz.SPA.157-3.M8.bin"',
        '',
      ];
    case 'iosxe':
      return [
        'Cisco IOS XE Software, Version 17.09.04a',
        'Cisco IOS Software [Cupertino], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)',
        '',
        `${config.hostname} uptime is ${uptime}`,
        '',
      ];
    case 'asa':
      return [
        '',
        'Cisco Adaptive Security Appliance Software Version 9.18(3) ',
        'SSP Operating System Version 2.12(0.498)',
        '',
        `${config.hostname} up ${uptime}`,
        '',
      ];
  }
}

import { describe, expect, it } from 'vitest';
import { probeTargets } from '../../../handlers/core/canary/targets.js';
import { exampleConfiguration } from '../../support/configuration.js';

describe('probe targets', () => {
  it('are the five mailboxes of every SES domain, of every forwarded domain at the corporate side, and the extras', () => {
    const config = exampleConfiguration();
    const targets = probeTargets(config);
    expect(targets.filter((t) => t.path === 'forwarded').map((t) => t.address)).toEqual([
      'admin@example.com',
      'administrator@example.com',
      'hostmaster@example.com',
      'postmaster@example.com',
      'webmaster@example.com',
    ]);
    expect(targets.filter((t) => t.path === 'ses').map((t) => t.domain)).toEqual([
      ...Array(5).fill('acm-mail.example.com'),
      ...Array(5).fill('example.net'),
    ]);
    expect(targets.filter((t) => t.path === 'extra')).toEqual([
      { address: 'acm-forwarded@acm-mail.example.com', domain: 'acm-mail.example.com', path: 'extra' },
    ]);
  });

  it('leave out a forwarded domain whose corporate mailboxes are not to be probed', () => {
    const config = exampleConfiguration();
    const domains = config.validationDomains.map((d) =>
      d.receive === 'forwarded' ? { ...d, probeForwarding: false } : d,
    );
    const targets = probeTargets({ ...config, validationDomains: domains });
    expect(targets.some((t) => t.path === 'forwarded')).toBe(false);
    expect(targets).toHaveLength(11);
  });

  it('probe an address listed twice once', () => {
    const config = exampleConfiguration();
    const targets = probeTargets({ ...config, extraInboundAddresses: ['Admin@example.net'] });
    expect(targets.filter((t) => t.address === 'admin@example.net')).toEqual([
      { address: 'admin@example.net', domain: 'example.net', path: 'ses' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  parseConfiguration,
  receiptRecipients,
  SES_RECEIVING_REGIONS,
  watchedAddresses,
} from '../../handlers/core/configuration/index.js';
import { exampleJson, exampleWith, type RawConfiguration } from '../support/configuration.js';

function problemsOf(config: RawConfiguration): readonly string[] {
  try {
    parseConfiguration(config, 'test.json');
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('the example configuration', () => {
  it('is valid and fills the documented defaults', () => {
    const config = parseConfiguration(exampleJson(), 'example.json');
    expect(config.region).toBe('eu-west-1');
    expect(config.validationDomains.map((d) => [d.name, d.receive, d.identity])).toEqual([
      ['example.com', 'forwarded', 'create'],
      ['acm-mail.example.com', 'ses', 'create'],
      ['example.net', 'ses', 'create'],
    ]);
    expect(config.ruleSet).toEqual({ mode: 'create', name: 'acm-validation-mail', takeOver: false });
  });

  it('gives platform a Jira Service Management queue, web-shop a Zendesk queue and data a plain mail queue', () => {
    const config = parseConfiguration(exampleJson(), 'example.json');
    expect(config.owners.map((owner) => [owner.name, owner.ticketQueue, owner.replyTo])).toEqual([
      [
        'platform',
        [{ address: 'platform-tickets@tickets.example.org', system: 'jira-service-management' }],
        'platform-team@example.org',
      ],
      ['web-shop', [{ address: 'shop-tickets@tickets.example.org', system: 'zendesk' }], undefined],
      ['data', [{ address: 'data-tickets@tickets.example.org', system: 'mail' }], undefined],
    ]);
  });

  it('lets a "noreply" sender mail queues that are not Zendesk', () => {
    const config = exampleWith((c) => {
      c.sender = 'noreply@notify.example.org';
      c.owners[1].ticketQueue = ['shop-tickets@tickets.example.org'];
    });
    expect(parseConfiguration(config, 'test').sender).toBe('noreply@notify.example.org');
  });

  it('derives recipients for SES-receiving domains only, and watches every validation domain', () => {
    const config = parseConfiguration(exampleJson(), 'example.json');
    expect(receiptRecipients(config)).toEqual([
      'admin@acm-mail.example.com',
      'administrator@acm-mail.example.com',
      'hostmaster@acm-mail.example.com',
      'postmaster@acm-mail.example.com',
      'webmaster@acm-mail.example.com',
      'admin@example.net',
      'administrator@example.net',
      'hostmaster@example.net',
      'postmaster@example.net',
      'webmaster@example.net',
      'acm-forwarded@acm-mail.example.com',
    ]);
    const watched = watchedAddresses(config);
    expect(watched.has('hostmaster@example.com')).toBe(true);
    expect(watched.size).toBe(16);
  });
});

describe('each configuration error names the field, the value and what is expected', () => {
  const cases: [string, (config: RawConfiguration) => void, string][] = [
    [
      'a region without SES receiving',
      (c) => {
        c.region = 'eu-south-1';
      },
      `config.region: "eu-south-1" is not a region where SES receives mail (expected one of ${SES_RECEIVING_REGIONS.join(', ')})`,
    ],
    [
      'a malformed hosted zone id',
      (c) => {
        c.validationDomains[1].hostedZone.id = 'z12';
      },
      'config.validationDomains[1].hostedZone.id: "z12" is not a hosted zone id (expected Z followed by 1-32 upper-case letters or digits)',
    ],
    [
      'a hosted zone that cannot hold the domain',
      (c) => {
        c.validationDomains[1].hostedZone.name = 'example.org';
      },
      'config.validationDomains[1].hostedZone.name: "example.org" cannot hold records for acm-mail.example.com (expected acm-mail.example.com or one of its parent domains)',
    ],
    [
      'a hosted zone on a forwarded domain',
      (c) => {
        c.validationDomains[0].hostedZone = { id: 'Z123', name: 'example.com' };
      },
      'config.validationDomains[0].hostedZone: {"id":"Z123","name":"example.com"} is set for a forwarded domain (expected none: its MX must stay with the corporate mail system)',
    ],
    [
      'an upper-case domain',
      (c) => {
        c.validationDomains[2].name = 'Example.NET';
      },
      'config.validationDomains[2].name: "Example.NET" is not a lower-case domain name (expected labels like "example.com")',
    ],
    [
      'a repeated validation domain',
      (c) => {
        c.validationDomains.push({ name: 'example.net' });
      },
      'config.validationDomains[3].name: "example.net" repeats config.validationDomains[2].name',
    ],
    [
      'an unknown field',
      (c) => {
        c.validationDomain = [];
      },
      'config: has unknown field(s) "validationDomain" (expected none: see the configuration reference in README.md)',
    ],
    [
      'a missing required field',
      (c) => {
        delete c.sender;
      },
      'config.sender: is missing (expected string)',
    ],
    [
      'a wrong type',
      (c) => {
        c.retention.rawMailDays = '90';
      },
      'config.retention.rawMailDays: "90" is not a whole number of days for raw mail',
    ],
    [
      'a retention beyond ten years',
      (c) => {
        c.retention.quarantinedMailDays = 4000;
      },
      'config.retention.quarantinedMailDays: 4000 is too long a retention for quarantined mail (expected 1 to 3650 days)',
    ],
    [
      'an unknown rule set mode',
      (c) => {
        c.ruleSet.mode = 'replace';
      },
      'config.ruleSet.mode: "replace" is not one of "create", "existing"',
    ],
    [
      'existing mode without a set name',
      (c) => {
        c.ruleSet = { mode: 'existing' };
      },
      'config.ruleSet.name: is missing (expected string)',
    ],
    [
      'a forwarded domain with nowhere to forward to',
      (c) => {
        c.extraInboundAddresses = [];
      },
      'config.extraInboundAddresses: [] is empty while example.com is forwarded (expected the address(es) its five mailboxes forward to)',
    ],
    [
      'an extra address at a domain SES does not receive for',
      (c) => {
        c.extraInboundAddresses = ['acm@example.com'];
      },
      'config.extraInboundAddresses[0]: "acm@example.com" is not at a validation domain whose mail SES receives (expected a domain among acm-mail.example.com, example.net)',
    ],
    [
      'an extra address that is one of the five mailboxes',
      (c) => {
        c.extraInboundAddresses.push('hostmaster@example.net');
      },
      'config.extraInboundAddresses[1]: "hostmaster@example.net" is one of the five ACM mailboxes (expected another address)',
    ],
    [
      'an unknown fallback owner',
      (c) => {
        c.fallbackOwner = 'nobody';
      },
      'config.fallbackOwner: "nobody" is not an owner (expected one of platform, web-shop, data)',
    ],
    [
      'a routing rule for an unknown owner',
      (c) => {
        c.routing[0].owner = 'shop';
      },
      'config.routing[0].owner: "shop" is not an owner (expected one of platform, web-shop, data)',
    ],
    [
      'a routing rule for an account that is not ours',
      (c) => {
        c.routing[1].accountId = '999999999999';
      },
      'config.routing[1].accountId: "999999999999" is not one of config.accounts (requests from it are security alerts, never routed to an owner)',
    ],
    [
      'a routing rule that matches nothing',
      (c) => {
        c.routing.push({ owner: 'data' });
      },
      'config.routing[4]: {"owner":"data"} matches nothing (expected domainSuffix, accountId or both)',
    ],
    [
      'a dashed account id',
      (c) => {
        c.accounts[0].id = '1339-1483-9485';
      },
      'config.accounts[0].id: "1339-1483-9485" is not an AWS account id (expected 12 digits, as a string)',
    ],
    [
      'a ticket queue at a watched address (a mail loop)',
      (c) => {
        c.owners[1].ticketQueue = ['webmaster@example.com'];
      },
      'config.owners[1].ticketQueue[0]: "webmaster@example.com" is a watched address: mail sent there comes back to the router (expected another address)',
    ],
    [
      'a sender with a display name',
      (c) => {
        c.sender = 'ACM mail <acm-mail@notify.example.org>';
      },
      'config.sender: "ACM mail <acm-mail@notify.example.org>" is not a plain mail address (expected local@domain, domain in lower case, no display name)',
    ],
    [
      'a cron with five fields',
      (c) => {
        c.digest.schedule = 'cron(0 8 * * 1-5)';
      },
      'config.digest.schedule: "cron(0 8 * * 1-5)" is not an EventBridge Scheduler cron expression (expected cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 8 ? * MON-FRI *))',
    ],
    [
      'a cron with both days given',
      (c) => {
        c.digest.schedule = 'cron(0 8 * * MON-FRI *)';
      },
      'config.digest.schedule: "cron(0 8 * * MON-FRI *)" leaves both or neither of day-of-month and day-of-week as "?"',
    ],
    [
      'an unknown time zone',
      (c) => {
        c.digest.timeZone = 'CEST';
      },
      'config.digest.timeZone: "CEST" is not an IANA time zone (expected a name like "Europe/Berlin" or "UTC")',
    ],
    [
      'a reserved concurrency of zero',
      (c) => {
        c.router.reservedConcurrency = 0;
      },
      'config.router.reservedConcurrency: 0 would stop the router (expected 1 to 1000)',
    ],
    [
      'a sender that is also a ticket queue (the system would answer its own queue)',
      (c) => {
        c.owners[2].ticketQueue = ['acm-mail@notify.example.org'];
      },
      'config.sender: "acm-mail@notify.example.org" is also config.owners[2].ticketQueue[0]: a ticket system would answer its own queue (expected a sender no queue has)',
    ],
    [
      'a Reply-To that is a ticket queue of another owner',
      (c) => {
        c.owners[0].replyTo = 'Shop-Tickets@tickets.example.org';
      },
      "config.owners[0].replyTo: \"Shop-Tickets@tickets.example.org\" is also config.owners[1].ticketQueue[0]: the ticket system's answers to the requester would open tickets (expected a person's or a team's mailbox)",
    ],
    [
      'the same queue twice for one owner (two tickets in one queue)',
      (c) => {
        c.owners[2].ticketQueue = [
          'data-tickets@tickets.example.org',
          { address: 'DATA-tickets@tickets.example.org', system: 'zendesk' },
        ];
      },
      'config.owners[2].ticketQueue[1]: "data-tickets@tickets.example.org" repeats config.owners[2].ticketQueue[0]',
    ],
    [
      'a "noreply" sender with a Zendesk queue (Zendesk suspends such mail)',
      (c) => {
        c.sender = 'no-reply@notify.example.org';
      },
      'config.sender: "no-reply@notify.example.org" is a "noreply" address, which Zendesk suspends, and config.owners[1].ticketQueue[0] is a Zendesk queue (expected a sender such as acm-mail@...)',
    ],
    [
      'a sender identity whose hosted zone cannot hold the sender domain',
      (c) => {
        c.senderIdentity = { hostedZone: { id: 'Z0EXAMPLE0NOTIFY00001', name: 'example.com' } };
      },
      'config.senderIdentity.hostedZone.name: "example.com" cannot hold records for notify.example.org (expected notify.example.org or one of its parent domains)',
    ],
    [
      'a sender identity at a validation domain (a second identity for it)',
      (c) => {
        c.sender = 'acm-mail@example.net';
        c.senderIdentity = {};
      },
      'config.sender: "acm-mail@example.net" is at config.validationDomains[2], whose identity senderIdentity would create a second time (expected a sender at a domain of its own, e.g. notify.<your domain>, or no senderIdentity)',
    ],
    [
      'DMARC reports to a watched mailbox (a loop)',
      (c) => {
        c.senderIdentity = { dmarc: { policy: 'none', reportsTo: 'postmaster@example.net' } };
      },
      'config.senderIdentity.dmarc.reportsTo: "postmaster@example.net" is a watched address',
    ],
    [
      'a MAIL FROM subdomain that is not one label',
      (c) => {
        c.senderIdentity = { mailFromSubdomain: 'bounce.mail' };
      },
      'config.senderIdentity.mailFromSubdomain: "bounce.mail" is not one lower-case DNS label (expected a name like "bounce")',
    ],
    [
      'a ticket system nobody knows',
      (c) => {
        c.owners[1].ticketQueue = [{ address: 'shop@tickets.example.org', system: 'jira' }];
      },
      'config.owners[1].ticketQueue[0]',
    ],
  ];

  it.each(cases)('%s', (_name, edit, message) => {
    const problems = problemsOf(exampleWith(edit));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('reports every schema problem at once, and the error message lists them under the source', () => {
    const config = exampleWith((c) => {
      c.region = 'mars-1';
      c.accounts[0].id = 'x';
    });
    const error = (() => {
      try {
        parseConfiguration(config, 'ops/prod.json');
      } catch (caught) {
        return caught as ConfigurationError;
      }
      throw new Error('accepted');
    })();
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(
      /^ops\/prod\.json: 2 problem\(s\) in the configuration\n {2}config\.region: "mars-1"/,
    );
  });

  it('reports the problems between fields in the same run as the schema problems, not in a second round', () => {
    const problems = problemsOf(
      exampleWith((c) => {
        c.region = 'mars-1';
        c.fallbackOwner = 'nobody';
        c.owners[1].ticketQueue = ['webmaster@example.com'];
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^config\.region: "mars-1" is not a region where SES receives mail/),
      'config.fallbackOwner: "nobody" is not an owner (expected one of platform, web-shop, data)',
      'config.owners[1].ticketQueue[0]: "webmaster@example.com" is a watched address: mail sent there comes back to the router (expected another address)',
    ]);
  });

  it('does not check a field with a problem of its own against the others (one problem, not its echoes)', () => {
    // The fallback owner and a routing rule name "platform": with the owners invalid, neither is reported.
    expect(
      problemsOf(
        exampleWith((c) => {
          c.owners[0].name = 'Platform Team';
        }),
      ),
    ).toEqual([
      'config.owners[0].name: "Platform Team" is not an owner name (expected lower-case letters, digits and dashes, at most 64)',
    ]);
  });

  it('reports a routing rule that matches nothing also when another of its fields is wrong', () => {
    expect(
      problemsOf(
        exampleWith((c) => {
          c.routing.push({ owner: 5 });
        }),
      ),
    ).toEqual([
      'config.routing[4].owner: 5 is not a string',
      'config.routing[4]: {"owner":5} matches nothing (expected domainSuffix, accountId or both)',
    ]);
  });
});

describe('accounts from AWS Organizations', () => {
  const fromOrganization = (organization: RawConfiguration, list: unknown[] = []) =>
    exampleWith((c) => {
      c.accounts = { fromOrganization: organization, list };
      c.routing = [{ owner: 'data', accountId: '555555555555' }];
    });

  it('a plain list is the listed accounts, not read from the organisation', () => {
    const config = parseConfiguration(exampleJson(), 'example.json');
    expect(config.accounts.fromOrganization).toBeNull();
    expect(config.accounts.list.map((account) => account.name).slice(0, 2)).toEqual(['portal-prod', 'shop-prod']);
  });

  it('an object reads the organisation (through a role, under units) and adds the listed accounts', () => {
    const role = 'arn:aws:iam::111111111111:role/acm-mail-list-accounts';
    const config = parseConfiguration(
      fromOrganization({ roleArn: role, ous: ['ou-ab12-prod0001', 'r-ab12'] }, [
        { id: '999999999999', name: 'outside' },
      ]),
      'test.json',
    );
    expect(config.accounts).toEqual({
      fromOrganization: { roleArn: role, ous: ['ou-ab12-prod0001', 'r-ab12'] },
      list: [{ id: '999999999999', name: 'outside' }],
    });
  });

  it('lets a routing rule name an account only the organisation knows', () => {
    expect(parseConfiguration(fromOrganization({}), 'test.json').routing).toEqual([
      { owner: 'data', accountId: '555555555555' },
    ]);
  });

  it('names each problem of the object form by its path', () => {
    expect(
      problemsOf(
        fromOrganization({ roleArn: 'arn:aws:iam::1:role/x', ous: ['ou-bad'], extra: true }, [
          { id: '111111111111', name: 'a' },
          { id: '111111111111', name: 'b', statusRoleArn: 'arn:aws:iam::222222222222:role/status' },
        ]),
      ),
    ).toEqual([
      'config.accounts.fromOrganization.roleArn: "arn:aws:iam::1:role/x" is not an IAM role ARN (expected arn:aws:iam::<account>:role/<name>)',
      'config.accounts.fromOrganization.ous[0]: "ou-bad" is not an organisational unit or root id (expected ou-xxxx-xxxxxxxx or r-xxxx)',
      'config.accounts.fromOrganization: has unknown field(s) "extra" (expected none: see the configuration reference in README.md)',
    ]);
    expect(
      problemsOf(
        fromOrganization({}, [
          { id: '111111111111', name: 'a' },
          { id: '111111111111', name: 'b', statusRoleArn: 'arn:aws:iam::222222222222:role/status' },
        ]),
      ),
    ).toEqual([
      'config.accounts.list[1].id: "111111111111" repeats config.accounts.list[0].id',
      'config.accounts.list[1].statusRoleArn: "arn:aws:iam::222222222222:role/status" is not a role in account 111111111111 (expected arn:aws:iam::111111111111:role/<name>)',
    ]);
  });

  it('a parsed configuration validates again as it is (the functions read a bundled copy)', () => {
    for (const raw of [exampleJson(), fromOrganization({ ous: ['r-ab12'] })]) {
      const once = parseConfiguration(raw, 'first');
      expect(parseConfiguration(JSON.parse(JSON.stringify(once)), 'again')).toEqual(once);
    }
    expect(problemsOf(exampleWith((c) => Object.assign(c, { accounts: { fromOrganization: null } })))).toContain(
      'config.accounts: {"fromOrganization":null} names no account (expected a list, fromOrganization, or both)',
    );
  });

  it('an empty plain list is still a problem', () => {
    const emptied = exampleWith((c) => {
      c.accounts = [];
    });
    expect(problemsOf(emptied)).toContain('config.accounts: [] is empty (expected the organisation accounts)');
  });
});

describe('the canary schedule', () => {
  const problems = (schedule: string) => {
    try {
      parseConfiguration(
        exampleWith((c) => Object.assign(c, { canary: { schedule } })),
        'test.json',
      );
      return [];
    } catch (error) {
      return (error as ConfigurationError).problems;
    }
  };

  it('runs every day or more often', () => {
    expect(problems('cron(0 6 * * ? *)')).toEqual([]);
    expect(problems('cron(0 6,18 ? * * *)')).toEqual([]);
    expect(problems('cron(0 6 ? * MON *)')).toEqual([
      'config.canary.schedule: "cron(0 6 ? * MON *)" runs less often than every day (expected e.g. cron(0 6 * * ? *): the per-address alarms and acm-mail doctor expect a probe every day)',
    ]);
    expect(problems('cron(0 6 1 * ? *)')[0]).toMatch(/runs less often than every day/);
    expect(problems('cron(0 6 * 1 ? *)')[0]).toMatch(/runs less often than every day/);
  });
});

import { describe, expect, it } from 'vitest';
import { type ActivationSituation, decideActivation } from '../../handlers/core/rule-set-activation.js';

const base: ActivationSituation = {
  request: 'Create',
  ourRuleSet: 'acm-validation-mail',
  activeRuleSet: null,
  takeOver: false,
  region: 'eu-west-1',
};

describe('decideActivation', () => {
  it.each([
    ['Create', null, false, 'activate'],
    ['Create', 'acm-validation-mail', false, 'leave'],
    ['Create', 'corporate-inbound', false, 'refuse'],
    ['Create', 'corporate-inbound', true, 'activate'],
    ['Update', null, false, 'activate'],
    ['Update', 'acm-validation-mail', false, 'leave'],
    ['Update', 'corporate-inbound', false, 'refuse'],
    ['Update', 'corporate-inbound', true, 'activate'],
    ['Delete', 'acm-validation-mail', false, 'deactivate'],
    ['Delete', 'corporate-inbound', false, 'leave'],
    ['Delete', 'corporate-inbound', true, 'leave'],
    ['Delete', null, false, 'leave'],
  ] as const)('%s with %s active (takeOver %s): %s', (request, activeRuleSet, takeOver, action) => {
    expect(decideActivation({ ...base, request, activeRuleSet, takeOver }).action).toBe(action);
  });

  it('refuses with a message that names the active set and both ways out', () => {
    const decision = decideActivation({ ...base, activeRuleSet: 'corporate-inbound' });
    expect(decision.action).toBe('refuse');
    expect(decision.why).toContain('SES receipt rule set "corporate-inbound" is active in eu-west-1');
    expect(decision.why).toContain('{ "mode": "existing", "name": "corporate-inbound" }');
    expect(decision.why).toContain('ruleSet.takeOver to true');
  });

  it('treats our previous set (renamed by an update) as ours, on update and on delete', () => {
    const renamed = { ...base, ourRuleSet: 'acm-mail-v2', previousRuleSet: 'acm-validation-mail' };
    expect(decideActivation({ ...renamed, request: 'Update', activeRuleSet: 'acm-validation-mail' })).toMatchObject({
      action: 'activate',
      ruleSet: 'acm-mail-v2',
    });
    expect(decideActivation({ ...renamed, request: 'Delete', activeRuleSet: 'acm-validation-mail' }).action).toBe(
      'deactivate',
    );
  });
});

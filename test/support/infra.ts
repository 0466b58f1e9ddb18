/**
 * Synthesises the stack in-process, with the project's cdk.json feature flags, bundling skipped unless asked.
 *
 * aws-cdk-lib runs its built-in CloudFormation validation in every synth. Without the
 * `@aws-cdk/core:validateAgainstDefaultRules` flag (cdk.json does not set it) its findings are warnings that never fail
 * a synth, and starting its engine costs several seconds per test file, more than all of a file's tests together. So
 * synths here skip it for as long as it cannot fail; `cdk synth` (and CI's) still runs it.
 */
import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import { checkWithAwsSolutions } from '../../infra/cdk-nag.js';
import type { MailboxCanary } from '../../infra/constructs/mailbox-canary.js';
import { AcmValidationMailStack } from '../../infra/stack.js';
import { exampleJson, type RawConfiguration } from './configuration.js';

const CDK_CONTEXT = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;
const VALIDATION_CAN_FAIL = CDK_CONTEXT['@aws-cdk/core:validateAgainstDefaultRules'] === true;

export interface Synthesised {
  readonly app: App;
  readonly stack: AcmValidationMailStack;
  readonly template: Template;
}

/** An app with the project's feature flags, bundling skipped unless asked; also for a construct tested on its own. */
export function testApp(options: { readonly bundle?: boolean; readonly outdir?: string } = {}): App {
  return new App({
    outdir: options.outdir,
    builtinCloudFormationValidation: VALIDATION_CAN_FAIL,
    context: { ...CDK_CONTEXT, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
}

export function synthesise(
  raw: RawConfiguration = exampleJson(),
  options: { readonly bundle?: boolean; readonly nag?: boolean; readonly outdir?: string } = {},
): Synthesised {
  const app = testApp(options);
  const configuration = parseConfiguration(raw, 'test configuration');
  const stack = new AcmValidationMailStack(app, configuration.stackName, { configuration });
  if (options.nag) checkWithAwsSolutions(app);
  let template: Template | undefined;
  // Made on first use: Template.fromStack synthesises, after which the app cannot change.
  return {
    app,
    stack,
    get template() {
      template ??= Template.fromStack(stack);
      return template;
    },
  };
}

const synthesisedOnce = new Map<string, Synthesised>();

/**
 * The stack and template of a configuration, synthesised on the first call and shared by every later call with an
 * equal configuration. Vitest gives each test file its own instance of this module, so each file synthesises each
 * configuration it needs once (call it at module or describe level, never inside a test) and its tests only read.
 * A test that adds to the app, runs cdk-nag or bundles needs an app of its own: `synthesise`.
 */
export function synthesiseOnce(raw: RawConfiguration = exampleJson()): Synthesised {
  const key = JSON.stringify(raw);
  const known = synthesisedOnce.get(key);
  if (known) return known;
  const { app, stack } = synthesise(raw);
  const synthesised = { app, stack, template: Template.fromStack(stack) };
  synthesisedOnce.set(key, synthesised);
  return synthesised;
}

/** Resources of one type, by logical id. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON.
export function resourcesOf(template: Template, type: string): Record<string, any> {
  return template.findResources(type);
}

/** A `${Token}` reference CloudFormation writes for the given logical id. */
export const ref = (logicalId: string) => ({ Ref: logicalId });
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** The logical id CloudFormation gives a construct's main resource. */
export function logicalId(stack: AcmValidationMailStack, construct: IConstruct): string {
  const resource = construct.node.defaultChild ?? construct;
  return stack.getLogicalId(resource as CfnElement);
}

/** How the template writes the ARN of one of our receipt rules (the SES `aws:SourceArn`). */
export function receiptRuleArnInTemplate(rule: string, ruleSet = 'acm-validation-mail') {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':ses:eu-west-1:',
        { Ref: 'AWS::AccountId' },
        `:receipt-rule-set/${ruleSet}:receipt-rule/${rule}`,
      ],
    ],
  };
}

/** The stack's mailbox canary, which the example configuration leaves enabled (the default). */
export function canaryOf(stack: AcmValidationMailStack): MailboxCanary {
  const { canary } = stack.pipeline;
  if (canary === undefined) throw new Error('this configuration has no canary (canary.enabled is false)');
  return canary;
}

/**
 * The props reference in README.md and infra/config/configuration.schema.json are generated from the schema and the
 * props' doc comments: committed copies that are stale fail here (fix: `npm run generate:reference`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import {
  JSON_SCHEMA_FILE,
  README_FILE,
  readPropsDocs,
  renderJsonSchema,
  renderPropsReference,
  withPropsReference,
} from '../../scripts/reference.js';
import { exampleJson } from '../support/configuration.js';

const docs = readPropsDocs();
const STALE = 'stale: run `npm run generate:reference` and commit the result';

describe('the generated configuration reference', () => {
  it('README.md holds the current props reference', () => {
    const readme = readFileSync(README_FILE, 'utf8');
    expect(readme === withPropsReference(readme, renderPropsReference(docs)), STALE).toBe(true);
  });

  it('infra/config/configuration.schema.json is current', () => {
    expect(readFileSync(JSON_SCHEMA_FILE, 'utf8') === renderJsonSchema(docs), STALE).toBe(true);
  });

  it('documents every field of the schema with its meaning, and every optional one with its default', () => {
    const schema = JSON.parse(renderJsonSchema(docs)) as { properties: Record<string, { description?: string }> };
    const undocumented = Object.entries(schema.properties).filter(([, property]) => !property.description);
    expect(undocumented.map(([name]) => name)).toEqual([]);
    expect(schema.properties.stackName?.description).toMatch(/Default: "AcmValidationMail"\.$/);
    const optionalWithoutDefault = [...docs.values()].flatMap((entry) =>
      entry.fields
        .filter((field) => field.optional && !field.defaultText)
        .map((field) => `${entry.name}.${field.name}`),
    );
    expect(optionalWithoutDefault).toEqual([]);
  });

  it('the example configuration names the JSON Schema, and the synth accepts the key', () => {
    const example = exampleJson();
    expect(example.$schema).toBe('./configuration.schema.json');
    expect(() => parseConfiguration(example, 'example.json')).not.toThrow();
  });

  it('the JSON Schema says what the file may hold: required fields, no unknown fields, enums, defaults', () => {
    const schema = JSON.parse(renderJsonSchema(docs)) as Record<string, unknown> & {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, Record<string, unknown>>;
    };
    expect(schema.required).toEqual(
      expect.arrayContaining(['region', 'validationDomains', 'ruleSet', 'accounts', 'owners', 'sender', 'digest']),
    );
    expect(schema.required).not.toContain('stackName');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.stackName?.default).toBe('AcmValidationMail');
  });
});

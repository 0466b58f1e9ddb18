/**
 * The props reference (README.md) and the configuration file's JSON Schema, both made from the two sources that
 * define the configuration: the zod schema (structure, checks, defaults: handlers/core/configuration/schema.ts) and
 * the doc comments of the props interfaces (meaning, `@default`: infra/acm-validation-mail-props.ts). Pure: returns
 * text; scripts/generate-reference.ts writes it, test/infra/reference.test.ts compares it with what is committed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as z from 'zod/mini';
import { configurationSchema } from '../handlers/core/configuration/schema.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const PROPS_FILE = `${ROOT}infra/acm-validation-mail-props.ts`;
export const JSON_SCHEMA_FILE = `${ROOT}infra/config/configuration.schema.json`;
export const README_FILE = `${ROOT}README.md`;
export const README_START = '<!-- props-reference:start -->';
export const README_END = '<!-- props-reference:end -->';
const ROOT_INTERFACE = 'AcmValidationMailProps';

interface Field {
  readonly name: string;
  readonly optional: boolean;
  /** The type as written, `readonly` removed. */
  readonly type: string;
  readonly description: string;
  /** The `@default` tag's text; undefined for a required field. */
  readonly defaultText: string | undefined;
}

interface Documented {
  readonly name: string;
  readonly description: string;
  readonly fields: readonly Field[];
}

/** Every interface of the props file with its fields' docs, in the order of the file. */
export function readPropsDocs(source = readFileSync(PROPS_FILE, 'utf8')): Map<string, Documented> {
  const file = ts.createSourceFile(PROPS_FILE, source, ts.ScriptTarget.ES2022, true);
  const interfaces = new Map<string, Documented>();
  for (const statement of file.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const fields = statement.members.filter(ts.isPropertySignature).map((member): Field => {
      const name = member.name.getText(file);
      const optional = member.questionToken !== undefined;
      const defaultTag = ts.getJSDocTags(member).find((tag) => tag.tagName.text === 'default');
      const defaultText = defaultTag ? (ts.getTextOfJSDocComment(defaultTag.comment) ?? '').trim() : undefined;
      if (docText(member) === '') {
        throw new Error(`${statement.name.text}.${name} has no doc comment (expected what it means)`);
      }
      if (optional && defaultText === undefined) {
        throw new Error(`${statement.name.text}.${name} is optional and has no @default (expected its behaviour)`);
      }
      return {
        name,
        optional,
        type: (member.type?.getText(file) ?? 'unknown').replace(/\breadonly\s+/g, '').replace(/\s+/g, ' '),
        description: docText(member),
        defaultText,
      };
    });
    interfaces.set(statement.name.text, { name: statement.name.text, description: docText(statement), fields });
  }
  return interfaces;
}

function docText(node: ts.Node): string {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  return docs
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The interfaces a type text names, in order of appearance. */
function referenced(type: string, docs: Map<string, Documented>): string[] {
  return [...type.matchAll(/\b[A-Z]\w*Props\b/g)].map((match) => match[0]).filter((name) => docs.has(name));
}

/** The interfaces reachable from the root, breadth first: the order of the reference's tables. */
function reachable(docs: Map<string, Documented>): Documented[] {
  const order = [ROOT_INTERFACE];
  for (let index = 0; index < order.length; index++) {
    const current = docs.get(order[index] ?? '');
    for (const field of current?.fields ?? []) {
      for (const name of referenced(field.type, docs)) if (!order.includes(name)) order.push(name);
    }
  }
  return order.flatMap((name) => docs.get(name) ?? []);
}

/** Markdown: one table per interface, fields with type, default and meaning; interface names link to their table. */
export function renderPropsReference(docs = readPropsDocs()): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const typeCell = (type: string) =>
    cell(type).replace(/\b([A-Z]\w*Props)\b/g, (name) => (docs.has(name) ? `[${name}](#${name.toLowerCase()})` : name));
  return reachable(docs)
    .map((entry) => {
      const rows = entry.fields.map((field) => {
        const fallback = field.defaultText === undefined ? 'required' : field.defaultText.replace(/^- /, '');
        return `| \`${field.name}\` | ${typeCell(field.type)} | ${cell(fallback)} | ${cell(field.description)} |`;
      });
      return [
        `#### ${entry.name}`,
        '',
        ...(entry.description ? [entry.description, ''] : []),
        '| field | type | default | meaning |',
        '| --- | --- | --- | --- |',
        ...rows,
      ].join('\n');
    })
    .join('\n\n');
}

type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  [key: string]: unknown;
};

/**
 * The configuration file's JSON Schema: zod's (its input side, what a file may say), with each property's
 * description from the props docs. Checks zod cannot express (cross-field ones, time zones) stay in the synth.
 */
export function renderJsonSchema(docs = readPropsDocs()): string {
  const schema = z.toJSONSchema(configurationSchema, {
    io: 'input',
    target: 'draft-2020-12',
    // Refinements (time zones, cron fields, cross-field checks) have no JSON Schema form: the synth checks them.
    unrepresentable: 'any',
  }) as JsonSchema;
  describeObjects(schema, [ROOT_INTERFACE], docs);
  const titled = {
    $schema: schema.$schema,
    title: 'ACM validation mail configuration',
    description:
      'The configuration file of acm-validation-mail (and the props of AcmValidationMail). Generated by `npm run generate:reference`; the synth also checks what a JSON Schema cannot (README, "Props reference").',
    ...schema,
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

/** Object schemas at or under `schema` (through arrays and unions), each matched to the interface with its keys. */
function describeObjects(schema: JsonSchema, candidates: readonly string[], docs: Map<string, Documented>): void {
  for (const object of objectsIn(schema)) {
    const keys = Object.keys(object.properties ?? {}).sort();
    const match = candidates
      .flatMap((name) => docs.get(name) ?? [])
      .find((entry) => sameKeys(entry.fields.map((field) => field.name).sort(), keys));
    if (match === undefined) {
      throw new Error(
        `no props interface among ${candidates.join(', ')} has the fields ${keys.join(', ')} (expected the props and the schema to agree: see test/infra/props-match-schema.ts)`,
      );
    }
    for (const field of match.fields) {
      const property = object.properties?.[field.name];
      if (property === undefined) continue;
      property.description = field.defaultText === undefined ? field.description : withDefault(field);
      const nested = referenced(field.type, docs);
      if (nested.length > 0) describeObjects(property, nested, docs);
    }
  }
}

function withDefault(field: Field): string {
  const text = field.defaultText?.replace(/^- /, '') ?? '';
  return field.description ? `${field.description} Default: ${text}.` : `Default: ${text}.`;
}

function objectsIn(schema: JsonSchema): JsonSchema[] {
  if (schema.properties !== undefined) return [schema];
  return [
    ...(schema.items ? objectsIn(schema.items) : []),
    ...[...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(objectsIn),
  ];
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, index) => key === b[index]);
}

/** README.md with the props reference between its markers replaced by `reference`. */
export function withPropsReference(readme: string, reference: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} ... ${README_END} markers`);
  return `${readme.slice(0, start + README_START.length)}\n${reference}\n${readme.slice(end)}`;
}

/**
 * `npm run generate:reference`: writes the props reference into README.md and infra/config/configuration.schema.json,
 * from the zod schema and the props' doc comments. Run it after changing either; the reference test checks it was.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  JSON_SCHEMA_FILE,
  README_FILE,
  readPropsDocs,
  renderJsonSchema,
  renderPropsReference,
  withPropsReference,
} from './reference.js';

const docs = readPropsDocs();
writeFileSync(JSON_SCHEMA_FILE, renderJsonSchema(docs));
writeFileSync(README_FILE, withPropsReference(readFileSync(README_FILE, 'utf8'), renderPropsReference(docs)));
console.log(`wrote ${JSON_SCHEMA_FILE} and the props reference in ${README_FILE}`);

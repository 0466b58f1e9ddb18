/** English: the default locale. */
import type { Catalogue } from './catalogue.js';

export const en: Catalogue = {
  // --- ticket mail ---
  ticket: {},
  // --- not-ACM summary ---
  notAcm: {},
  // --- digest ---
  digest: {},
};

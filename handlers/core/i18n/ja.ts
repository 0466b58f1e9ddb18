/** 日本語 (Japanese). */
import type { Catalogue } from './catalogue.js';

export const ja: Catalogue = {
  // --- ticket mail ---
  ticket: {},
  // --- not-ACM summary ---
  notAcm: {},
  // --- digest ---
  digest: {},
};

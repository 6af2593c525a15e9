import type { DocumentNumber } from './types';

/**
 * 发文字号 as GB/T 9704-2012 §7.2.4 writes it: the issuer's abbreviation, the year in 六角括号 〔〕, the sequence
 * without leading zeros or 第, then 号 — `杭环信复〔2026〕12号`. The same in every language: it is an identifier.
 */
export function formatDocumentNumber(number: DocumentNumber): string {
  const { prefix, year, sequence } = number;
  if (!prefix.trim() || /[〔〕\s]/.test(prefix)) throw new Error(`invalid document number prefix "${prefix}"`);
  if (!Number.isInteger(year) || year < 1949 || year > 9999) throw new Error(`invalid document number year ${year}`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new Error(`invalid document number sequence ${sequence}`);
  return `${prefix}〔${year}〕${sequence}号`;
}

// Redaction of personal data from comment text: e-mail addresses, UK phone numbers, UK postcodes
// (whole, or the outward code alone where it reads as one), National Insurance numbers, payment card
// numbers and people's names (names.ts). It runs before anything is derived from a comment — the
// analysis reads the redacted text, so no keyword, theme name, description or quote can carry any of
// it — and on every text shown or exported.
import { findNames } from './people.ts';

export const REDACTION = {
  email: '[email removed]',
  phone: '[phone removed]',
  postcode: '[postcode removed]',
  nationalInsurance: '[NI number removed]',
  card: '[card number removed]',
  name: '[name removed]',
} as const;

/** A bracketed note left by redaction ("[name removed]"), for readers that skip them. */
export const REDACTION_NOTE = /\[(?:email|phone|postcode|NI number|card number|name) removed\]/gi;

const HAS_DIGIT_OR_AT = /[\d@]/;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

// 13–19 digits, optionally grouped by single spaces or hyphens.
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;

// Two letters (not D, F, I, Q, U, V; O not second), six digits, a suffix A–D, optional spaces.
const NATIONAL_INSURANCE =
  /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi;

// A UK number: +44 / 0044 / (0) / 0, then digits with spaces, hyphens, dots or brackets.
const PHONE = /(?<![\w+])(?:(?:\+|00)44[ -]?(?:\(0\)[ -]?)?|\(?0)\d[\d ().-]{7,14}\d(?!\d)/g;

// The UK postcode format (outward code, space optional, inward code).
// Any case; no space, a few spaces or a hyphen between the two parts.
const POSTCODE =
  /\b(?:GIR[ \t-]{0,3}0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t-]{0,3}\d[ABD-HJLNP-UW-Z]{2})\b/gi;

const OUTWARD = String.raw`[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?`;
const STREET_WORDS =
  'road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|crescent|court|ct|place|pl|gardens|' +
  'terrace|grove|square|mews|walk|row|hill|park|green|parade|rise|view|estate|london|town|city';
// The outward code alone ("SW1A", "sw1a", "M1") where it reads as a postcode: after the word
// postcode ("postcode is sw1a"), or after a street word and an optional comma ("Church Road, BS8").
const OUTWARD_AFTER_CUE = new RegExp(
  String.raw`(?<=\b(?:post ?codes?|postal codes?)\W{0,3}(?:(?:is|was|of|in)\W{1,3})?|\b(?:${STREET_WORDS})\.?,?[ \t]{1,3})${OUTWARD}\b`,
  'gi',
);
// Upper-case outward codes of two letters and a digit ("SW1A", "NW10", "BS8") anywhere, except a
// few look-alikes (music and games formats, TV channels).
const OUTWARD_UPPER = /\b(?!MP[34]\b|PS[1-5]\b|TV\d\b)[A-PR-UWYZ][A-HK-Y]\d[A-Z\d]?\b/g;
// An inward code left beside a removed outward code ("[postcode removed], 1AA").
const INWARD_AFTER = /(?<=\[postcode removed\]\W{0,3})\d[ABD-HJLNP-UW-Z]{2}\b/gi;

/** True when a digit string passes the Luhn check used by payment card numbers. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function isUkPhone(candidate: string): boolean {
  let digits = candidate.replace(/\D/g, '');
  if (digits.startsWith('0044')) digits = digits.slice(4);
  else if (candidate.trimStart().startsWith('+44')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = digits.slice(1);
  else return false;
  // "(0)" after +44 is a written convention, not part of the number.
  if (digits.length === 11 && digits.startsWith('0')) digits = digits.slice(1);
  return digits.length === 9 || digits.length === 10;
}

/** The text with personal data replaced by a bracketed note of what was removed. */
export function redactPersonalData(text: string): string {
  // Every pattern but names needs a digit or an @: most comments have neither, and skip them.
  if (!HAS_DIGIT_OR_AT.test(text)) return redactNames(text);
  const patterns = text
    .replace(EMAIL, REDACTION.email)
    .replace(CARD, (match) => (passesLuhn(match.replace(/\D/g, '')) ? REDACTION.card : match))
    .replace(NATIONAL_INSURANCE, REDACTION.nationalInsurance)
    .replace(PHONE, (match) => {
      // Keep a bracket or full stop that closes the sentence around the number.
      const trimmed = match.replace(/[ ().-]+$/, '');
      const tail = match.slice(trimmed.length);
      return isUkPhone(trimmed) ? REDACTION.phone + tail : match;
    })
    .replace(POSTCODE, REDACTION.postcode)
    .replace(OUTWARD_AFTER_CUE, REDACTION.postcode)
    .replace(OUTWARD_UPPER, REDACTION.postcode)
    .replace(INWARD_AFTER, REDACTION.postcode);
  return redactNames(patterns);
}

/** The text with people's names (see people.ts) replaced by "[name removed]". */
export function redactNames(text: string): string {
  const spans = findNames(text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + REDACTION.name;
    at = end;
  }
  return out + text.slice(at);
}

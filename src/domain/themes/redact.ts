// Redaction of personal data from any comment text shown to people (quotes, examples, exports of
// quotes): e-mail addresses, UK phone numbers, UK postcodes, National Insurance numbers and payment
// card numbers. The analysis itself reads the original words, but never displays them unredacted.

export const REDACTION = {
  email: '[email removed]',
  phone: '[phone removed]',
  postcode: '[postcode removed]',
  nationalInsurance: '[NI number removed]',
  card: '[card number removed]',
} as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

// 13–19 digits, optionally grouped by single spaces or hyphens.
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;

// Two letters (not D, F, I, Q, U, V; O not second), six digits, a suffix A–D, optional spaces.
const NATIONAL_INSURANCE =
  /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi;

// A UK number: +44 / 0044 / (0) / 0, then digits with spaces, hyphens, dots or brackets.
const PHONE = /(?<![\w+])(?:(?:\+|00)44[ -]?(?:\(0\)[ -]?)?|\(?0)\d[\d ().-]{7,14}\d(?!\d)/g;

// The UK postcode format (outward code, space optional, inward code).
const POSTCODE = /\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b/gi;

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
  return text
    .replace(EMAIL, REDACTION.email)
    .replace(CARD, (match) => (passesLuhn(match.replace(/\D/g, '')) ? REDACTION.card : match))
    .replace(NATIONAL_INSURANCE, REDACTION.nationalInsurance)
    .replace(PHONE, (match) => {
      // Keep a bracket or full stop that closes the sentence around the number.
      const trimmed = match.replace(/[ ().-]+$/, '');
      const tail = match.slice(trimmed.length);
      return isUkPhone(trimmed) ? REDACTION.phone + tail : match;
    })
    .replace(POSTCODE, REDACTION.postcode);
}

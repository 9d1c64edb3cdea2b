import { describe, expect, it } from 'vitest';
import { passesLuhn, redactPersonalData } from './redact.ts';

describe('redactPersonalData', () => {
  it('removes e-mail addresses, including plus addressing and subdomains', () => {
    expect(redactPersonalData('Write to jo.bloggs+bins@mail.council.gov.uk today')).toBe(
      'Write to [email removed] today',
    );
  });

  it('removes UK phone numbers in common formats', () => {
    for (const phone of [
      '07700 900123',
      '07700900123',
      '+44 7700 900123',
      '+447700900123',
      '0044 7700 900 123',
      '+44 (0)20 7946 0958',
      '(020) 7946 0958',
      '0161-496-0000',
      '0800 123 4567',
    ]) {
      expect(redactPersonalData(`Call me on ${phone}.`)).toBe('Call me on [phone removed].');
    }
  });

  it('leaves numbers that are not phone numbers', () => {
    expect(redactPersonalData('I waited 3 weeks and paid £120.50')).toBe(
      'I waited 3 weeks and paid £120.50',
    );
    expect(redactPersonalData('Reference 12345678')).toBe('Reference 12345678');
    expect(redactPersonalData('In 2024 2025 and 2026')).toBe('In 2024 2025 and 2026');
  });

  it('removes UK postcodes with or without the space, in any case', () => {
    expect(redactPersonalData('I live at SW1A 1AA near the tip')).toBe(
      'I live at [postcode removed] near the tip',
    );
    expect(redactPersonalData('bins in m1 1ae and EC1A1BB')).toBe(
      'bins in [postcode removed] and [postcode removed]',
    );
  });

  it('removes National Insurance numbers but not look-alikes with invalid prefixes', () => {
    expect(redactPersonalData('My NI is QQ 12 34 56 C')).toBe('My NI is QQ 12 34 56 C');
    expect(redactPersonalData('My NI is AB 12 34 56 C')).toBe('My NI is [NI number removed]');
    expect(redactPersonalData('ni: ab123456c')).toBe('ni: [NI number removed]');
    expect(redactPersonalData('GB123456A is not one')).toBe('GB123456A is not one');
  });

  it('removes card numbers only when they pass the Luhn check', () => {
    expect(redactPersonalData('card 4111 1111 1111 1111 declined')).toBe(
      'card [card number removed] declined',
    );
    expect(redactPersonalData('card 4111-1111-1111-1111')).toBe('card [card number removed]');
    expect(redactPersonalData('order 4111 1111 1111 1112 lost')).toBe(
      'order 4111 1111 1111 1112 lost',
    );
  });

  it('leaves look-alikes alone: roads, dates, money, references, short digit runs', () => {
    for (const text of [
      'The M1 and the A40 were closed',
      'Collected on 2025-01-15 and 15/01/2025',
      'Fined £1,234.56 for 3 bags',
      'Flight BA 2490 and invoice INV-2025-000123',
      'Call 123-456-7890 in the US',
      'Open 9am to 5pm, 7 days',
    ]) {
      expect(redactPersonalData(text)).toBe(text);
    }
  });

  it('handles several kinds in one comment', () => {
    expect(
      redactPersonalData('Email a@b.com or ring 07700 900123 about BS1 4DJ, card 5555555555554444'),
    ).toBe(
      'Email [email removed] or ring [phone removed] about [postcode removed], card [card number removed]',
    );
  });
});

describe('passesLuhn', () => {
  it('accepts known test card numbers and rejects altered ones', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('378282246310005')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('')).toBe(false);
  });
});

describe('redactPersonalData: people and postcodes in every position', () => {
  it('removes names after titles, relations and "called", and given name + surname pairs', () => {
    expect(redactPersonalData('My daughter Sarah was seen by Dr Patel and Nurse Jones.')).toBe(
      'My daughter [name removed] was seen by Dr [name removed] and Nurse [name removed].',
    );
    expect(redactPersonalData('Mr. O’Brien and Mrs Okonkwo-Smith were kind')).toBe(
      'Mr. [name removed] and Mrs [name removed] were kind',
    );
    expect(redactPersonalData('my husband, Ahmed, rang; a nurse called Bethany helped')).toBe(
      'my husband, [name removed], rang; a nurse called [name removed] helped',
    );
    expect(redactPersonalData('recycling rules john smith complained')).toBe(
      'recycling rules [name removed] complained',
    );
    expect(redactPersonalData('Spoke to John Smith and thank Sarah')).toBe(
      'Spoke to [name removed] and thank [name removed]',
    );
    expect(redactPersonalData('my daughter sarah and Sister Mary Jones')).toBe(
      'my daughter [name removed] and Sister [name removed]',
    );
  });

  it('keeps ordinary words that are also names when they are not used as names', () => {
    for (const text of [
      'I will come in May with a rose for Hope',
      'Bill paid the bill and will cook',
      'Long waits at the Victoria Road surgery',
      'my sister was seen by the nurse and a doctor',
      'Grace and joy, Faith in the service',
      'The Green bins and Brown bins',
    ]) {
      expect(redactPersonalData(text)).toBe(text);
    }
  });

  it('removes postcodes in every form: spaced, unspaced, hyphenated, lower case, outward only', () => {
    expect(redactPersonalData('postcode, sw1a, 1aa')).toBe(
      'postcode, [postcode removed], [postcode removed]',
    );
    expect(redactPersonalData('SW1A1AA, sw1a  1aa and EC1A-1BB')).toBe(
      '[postcode removed], [postcode removed] and [postcode removed]',
    );
    expect(redactPersonalData('my postcode is m1. I live on Church Road, BS8')).toBe(
      'my postcode is [postcode removed]. I live on Church Road, [postcode removed]',
    );
    expect(redactPersonalData('bins in SW1A are late')).toBe('bins in [postcode removed] are late');
  });
});

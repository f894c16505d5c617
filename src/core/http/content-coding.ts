/**
 * Content codings (RFC 9110 §8.4): whether a response names one. The browser decodes content
 * codings as it receives a body, so a stored body is the decoded one: its byte offsets are not
 * those of the representation the field names, and ranges of it cannot be matched with ranges of
 * the representation.
 */
import type { HeaderList } from '../meta.ts';
import { getHeader } from '../meta.ts';

/** Whether `headers` name a content coding other than `identity`. */
export function hasContentCoding(headers: HeaderList): boolean {
  const coding = getHeader(headers, 'content-encoding')?.trim().toLowerCase();
  return coding !== undefined && coding !== '' && coding !== 'identity';
}

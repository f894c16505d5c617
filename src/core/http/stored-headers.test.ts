import { describe, expect, it } from 'vitest';
import type { HeaderList } from '../meta.ts';
import { withoutHopByHop } from './stored-headers.ts';

describe('withoutHopByHop', () => {
  it('RFC 9111 §3.1: drops the hop-by-hop fields and those Connection names, keeps the rest in order', () => {
    const headers: HeaderList = [
      ['content-type', 'text/plain'],
      ['connection', 'close, X-Trace'],
      ['x-trace', 'abc'],
      ['keep-alive', 'timeout=5'],
      ['transfer-encoding', 'chunked'],
      ['te', 'trailers'],
      ['upgrade', 'websocket'],
      ['proxy-connection', 'keep-alive'],
      ['proxy-authenticate', 'Basic'],
      ['etag', '"v1"'],
    ];
    expect(withoutHopByHop(headers)).toEqual([
      ['content-type', 'text/plain'],
      ['etag', '"v1"'],
    ]);
  });

  it('RFC 9110 §7.6.1: without Connection only the fixed list goes; an empty member names nothing', () => {
    const headers: HeaderList = [
      ['connection', ', ,'],
      ['x-kept', '1'],
      ['upgrade', 'h2c'],
    ];
    expect(withoutHopByHop(headers)).toEqual([['x-kept', '1']]);
  });
});

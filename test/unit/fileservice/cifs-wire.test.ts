// A CIFS request is checked before the server touches it: a malformed one is refused with the reason,
// never handled (a path that is not a string would throw inside the filer when the server splits it).
import { describe, expect, it } from 'vitest';
import { cifsRequestProblem } from '../../../emulator/ontap/fileservice/cifs-wire.ts';

const request = (body: Record<string, unknown>) => ({ kind: 'cifs.request', connection: 1, mid: 2, request: body });

describe('cifsRequestProblem', () => {
  it('passes a well-formed request and refuses paths that are not strings, alone or in an AndX chain', () => {
    expect(cifsRequestProblem(request({ command: 'DELETE', uid: 1, tid: 1, path: '\\a.txt' }))).toBeNull();
    expect(cifsRequestProblem(request({ command: 'DELETE', uid: 1, tid: 1, path: 7 }))).toBe('bad path');
    expect(cifsRequestProblem(request({ command: 'RENAME', uid: 1, tid: 1, path: '\\a', newPath: null }))).toBe('bad newPath');
    expect(cifsRequestProblem(request({ command: 'ANDX', components: [{ command: 'CREATE', uid: 1, tid: 1, path: ['x'], disposition: 'open' }] }))).toBe('bad path');
  });
});

// The port controller contract against both bindings: the emulated in-process line, and
// serialport on a real pty pair made by socat with the emulated board on the far end.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { EmulatedLine } from '../../../drivers/blocker/port-link-emulated.ts';
import { serialBinding } from '../../../drivers/blocker/port-link-serial.ts';
import { SerialBoard } from '../../../hil/serial-board.ts';
import { SerialBlocker, socatAvailable } from '../../../hil/serial-blocker.ts';
import { portControllerContract } from './port-controller-contract.ts';

const BOARD = { ports: 4, writeProtect: [true, false, true, true] };

portControllerContract('emulated binding (in-process board)', async () => {
  const line = new EmulatedLine(new SerialBoard(BOARD));
  return {
    board: line.board,
    binding: line.binding(),
    vanish: async () => line.vanish(),
    restore: async () => line.restore(),
    teardown: async () => line.vanish(),
  };
});

const socat = await socatAvailable();
if (socat.ok) {
  portControllerContract('serialport on a socat pty pair (hil/serial-blocker.ts)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imagebox-serial-'));
    const sb = await SerialBlocker.start({ ...BOARD, link: path.join(dir, 'ttyPC0') });
    return {
      board: sb.board,
      binding: serialBinding(sb.hostPath),
      vanish: () => sb.vanish(),
      restore: () => sb.restore(),
      teardown: async () => {
        await sb.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
} else {
  describe('port controller contract: serialport on a socat pty pair', () => {
    it.skip(`needs socat: ${socat.why}`, () => {});
  });
}

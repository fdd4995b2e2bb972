// The real binding: serialport on an explicit device path, 115200 8N1. Never SerialPort.list()
// (it spawns udevadm, which is missing without udev) and never the modem lines (set/get fail on a
// pty with "Inappropriate ioctl", and the board does not use them). The port comes from
// serial-hangup-guard.ts, so a device that hangs up is reported instead of spun on.

import { guardedSerialPort } from './serial-hangup-guard.ts';
import type { ControllerBinding, ControllerLink, LinkHandlers } from './port-link.ts';

export const BAUD_RATE = 115_200;

export function serialBinding(path: string): ControllerBinding {
  return { path, open: (handlers) => openSerial(path, handlers) };
}

async function openSerial(path: string, handlers: LinkHandlers): Promise<ControllerLink> {
  const port = guardedSerialPort(path, BAUD_RATE);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  let closing = false;
  let ended = false;
  const end = (err: Error | undefined): void => {
    if (ended || closing) return;
    ended = true;
    handlers.closed(err);
  };
  port.on('data', (chunk: Buffer) => handlers.data(chunk));
  // serialport reports a vanished device as 'close' with a DisconnectedError.
  port.on('close', (err?: Error) => end(err ?? new Error(`${path} closed`)));
  // An 'error' with the port still open (a failed write) is followed by 'close' if the device is gone.
  port.on('error', (err: Error) => {
    if (!port.isOpen) end(err);
  });
  return {
    write: (text) =>
      new Promise<void>((resolve, reject) => {
        if (!port.isOpen) return reject(new Error(`${path} is not open`));
        port.write(text, 'latin1', (err) => (err ? reject(err) : resolve()));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}

// The binding between the port-controller host and its board: bytes both ways and a close
// notice. port-link-serial.ts is the real one (serialport on a device path); port-link-emulated.ts talks to
// an in-process board (hil/serial-board.ts). One contract suite runs against both
// (test/drivers/blocker/port-controller.contract.test.ts).

export interface LinkHandlers {
  data(chunk: Buffer): void;
  /** The link is gone: the device vanished or the port failed. Called at most once, never after close(). */
  closed(err: Error | undefined): void;
}

export interface ControllerLink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface ControllerBinding {
  /** The device path, for logs and the acquisition record. */
  readonly path: string;
  /** Rejects when the device is not there (ENOENT) or cannot be opened. */
  open(handlers: LinkHandlers): Promise<ControllerLink>;
}

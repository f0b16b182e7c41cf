// NVRAM for a simulated device: plain memory, or a file so a configuration survives the process.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export const NVRAM_BYTES_DEFAULT = 32 * 1024;

export interface Nvram {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
  write(offset: number, data: Uint8Array): boolean;
}

export class MemoryNvram implements Nvram {
  readonly bytes: Uint8Array;

  constructor(readonly size = NVRAM_BYTES_DEFAULT, initial?: Uint8Array) {
    this.bytes = new Uint8Array(size);
    if (initial) this.bytes.set(initial.subarray(0, size));
  }

  read(offset: number, length: number): Uint8Array {
    if (offset >= this.size) return new Uint8Array(0);
    return this.bytes.slice(offset, Math.min(this.size, offset + length));
  }

  write(offset: number, data: Uint8Array): boolean {
    if (offset + data.length > this.size) return false;
    this.bytes.set(data, offset);
    return true;
  }
}

/** Memory NVRAM written through to a file after every write. */
export class FileNvram extends MemoryNvram {
  constructor(private readonly path: string, size = NVRAM_BYTES_DEFAULT) {
    super(size, existsSync(path) ? readFileSync(path) : undefined);
  }

  override write(offset: number, data: Uint8Array): boolean {
    if (!super.write(offset, data)) return false;
    writeFileSync(this.path, this.bytes);
    return true;
  }
}

// A network port: the one place frames enter and leave a node (a device's NIC, a switch port, a
// TAP bridge, a test's fake host). A port is plugged into at most one link. Its owner sends with
// `send` and receives through the handler it gave; taps (captures, traces) see both directions
// with the virtual instant, so a capture of a port is what tcpdump on that NIC would show.

export type FrameDirection = "in" | "out";
export type PortTap = (frame: Uint8Array, direction: FrameDirection, atMs: number) => void;

export class Port {
  /** Set by the link this port is plugged into; undefined means unplugged (frames are lost). */
  private wire: ((frame: Uint8Array) => void) | undefined;
  private readonly taps: PortTap[] = [];
  framesOut = 0;
  framesIn = 0;
  /** Frames sent while unplugged. */
  framesUnplugged = 0;

  constructor(
    readonly name: string,
    private readonly clock: { readonly nowMs: number },
    private readonly handler: (frame: Uint8Array) => void,
  ) {}

  get plugged(): boolean {
    return this.wire !== undefined;
  }

  /** Called by a link when it takes this port. */
  plug(wire: (frame: Uint8Array) => void): void {
    if (this.wire) throw new Error(`port ${this.name} is already plugged into a link`);
    this.wire = wire;
  }

  unplug(): void {
    this.wire = undefined;
  }

  /** The owner transmits a frame. */
  send(frame: Uint8Array): void {
    this.framesOut++;
    for (const tap of this.taps) tap(frame, "out", this.clock.nowMs);
    if (this.wire) this.wire(frame);
    else this.framesUnplugged++;
  }

  /** The wire delivers a frame to the owner. */
  receive(frame: Uint8Array): void {
    this.framesIn++;
    for (const tap of this.taps) tap(frame, "in", this.clock.nowMs);
    this.handler(frame);
  }

  /** Observes every frame through this port; returns the function that removes the tap. */
  tap(listener: PortTap): () => void {
    this.taps.push(listener);
    return () => {
      const index = this.taps.indexOf(listener);
      if (index >= 0) this.taps.splice(index, 1);
    };
  }
}

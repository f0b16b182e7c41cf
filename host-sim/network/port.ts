// A network port: the one place frames enter and leave a node (a device's NIC, a switch port, a
// TAP bridge, a test's fake host). A port is plugged into at most one link. Its owner sends with
// `send` and receives through the handler it gave; taps (captures, traces) see both directions
// with the virtual instant, so a capture of a port is what tcpdump on that NIC would show.

export type FrameDirection = "in" | "out";
export type PortTap = (frame: Uint8Array, direction: FrameDirection, atMs: number) => void;
/** A link's end: takes a frame, and whether it is handed over (see Port.send). */
export type Wire = (frame: Uint8Array, handedOver: boolean) => void;

export class Port {
  /** Set by the link this port is plugged into; undefined means unplugged (frames are lost). */
  private wire: Wire | undefined;
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
  plug(wire: Wire): void {
    if (this.wire) throw new Error(`port ${this.name} is already plugged into a link`);
    this.wire = wire;
  }

  unplug(): void {
    this.wire = undefined;
  }

  /**
   * The owner transmits a frame. By default the link copies it (the owner may reuse its buffer).
   * `handedOver` says nobody writes to these bytes again (a device's frame out of net-tx, a frame
   * a switch passes on): the link then carries this very array, copying only to corrupt it. Frames
   * a link delivers are read-only to their receivers (and to taps) in either case.
   */
  send(frame: Uint8Array, handedOver = false): void {
    this.framesOut++;
    const taps = this.taps;
    for (let i = 0; i < taps.length; i++) taps[i]!(frame, "out", this.clock.nowMs);
    if (this.wire) this.wire(frame, handedOver);
    else this.framesUnplugged++;
  }

  /** The wire delivers a frame to the owner. */
  receive(frame: Uint8Array): void {
    this.framesIn++;
    const taps = this.taps;
    for (let i = 0; i < taps.length; i++) taps[i]!(frame, "in", this.clock.nowMs);
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

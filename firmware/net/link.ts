// Ethernet output: the one transmit buffer every layer builds its frame in, and the hand-off to the
// HAL. A layer writes its payload at txPayload() (or deeper: ipv4.ts leaves room for the IP
// header), then calls linkSend with the payload's length.
import { halNetTx } from "../hal/imports";
import { FRAME_BYTES_MAX } from "../lib/limits";
import { ETH_HEADER_LEN, ethEmit } from "../wire/ethernet";
import { ifMac, count, countBy, NET_TX_FRAMES, NET_TX_BYTES } from "./config";

const txFrame = memory.data(FRAME_BYTES_MAX, 16);

/** Start of the transmit frame (its Ethernet header). */
export function txFramePtr(): usize {
  return txFrame;
}

/** Where the Ethernet payload of the transmit frame goes. */
export function txPayload(): usize {
  return txFrame + ETH_HEADER_LEN;
}

/** Largest Ethernet payload (the MTU). */
// @ts-ignore: decorator
@inline export const LINK_MTU: u32 = <u32>FRAME_BYTES_MAX - ETH_HEADER_LEN;

/** Sends the transmit frame with `payloadLen` bytes of payload to `dstMac`. */
export function linkSend(dstMac: u64, etherType: u32, payloadLen: u32): void {
  ethEmit(txFrame, dstMac, ifMac, etherType);
  linkSendRaw(txFrame, ETH_HEADER_LEN + payloadLen);
}

/** Sends a complete frame (header included) that lies anywhere in memory. */
export function linkSendRaw(frame: usize, len: u32): void {
  count(NET_TX_FRAMES);
  countBy(NET_TX_BYTES, len);
  halNetTx(frame, len);
}

// The HAL imports, lowered by the canonical ABI: every list<u8> or string is a (ptr, len) pair,
// a returned list arrives through a return area the host fills after calling cabi_realloc.
// Nothing else in the firmware may declare an import: see firmware/hal.wit for the contract.

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "net-mac")
export declare function halNetMac(): u64;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "net-tx")
export declare function halNetTx(ptr: usize, len: usize): void;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "uart-tx")
export declare function halUartTx(line: u32, ptr: usize, len: usize): u32;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "uart-config")
export declare function halUartConfig(line: u32, baud: u32, dataBits: u32, parity: u32, stopBits: u32, flow: u32): void;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "uart-control")
export declare function halUartControl(line: u32, signals: u32): void;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "nvram-size")
export declare function halNvramSize(): u32;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "nvram-read")
export declare function halNvramRead(offset: u32, len: u32, retArea: usize): void;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "nvram-write")
export declare function halNvramWrite(offset: u32, ptr: usize, len: usize): bool;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "random")
export declare function halRandom(): u32;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "log")
export declare function halLog(level: u32, ptr: usize, len: usize): void;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "panic")
export declare function halPanic(ptr: usize, len: usize): void;

// @ts-ignore: decorator
@external("termsrv:firmware/hal@0.1.0", "reload")
export declare function halReload(): void;

// System commands: enable/disable, configure, hostname, enable secret, exit/end, show version,
// show running-config / startup-config, write memory, copy running-config startup-config, erase,
// reload. Each handler takes the exec context x; its arguments come from parser.ts (arg*).
import { putStr, putU64, Writer } from "../lib/text";
import { Text } from "../lib/text-table";
import { bytesEqualString } from "../lib/bytes";
import { now } from "../lib/clock";
import { heapUsed } from "../lib/runtime";
import { logText, LOG_NOTICE } from "../lib/log";
import { halNvramSize, halReload } from "../hal/imports";
import { TTY_COUNT, VTY_COUNT, LINE_COUNT } from "../lib/limits";
import { lineType, LINE_VTY } from "../tty/line-table";
import { lineDrain } from "../tty/lines";
import { execAt, editPtr, out, say, sayTpl, sayU32, EXEC_REPLAY } from "./exec-state";
import {
  execSetMode, execAskEnable, execEndConfig, execExit, execStartOutput, execConfirm, execAsk, execFlush,
} from "./exec";
import { MODE_USER, MODE_PRIV, MODE_CONFIG } from "./modes";
import { argNegated, argPtr, argLen, parsedTag } from "./parser";
import { secretHash, secretSalt, putSecret, parseSecret, parsedSecretSalt, parsedSecretHash } from "./secret";
import {
  putHostname, setHostname, hostnameDefault, enableSecretSet, enableSecretSalt, enableSecretHash, setEnableSecret,
} from "./system";
import { runningBytes, runningSeek, runningNext, runningCursorSection, runningCursorRow } from "../config/running";
import { nvramSaveRunning, nvramErase } from "../config/nvram";
import { startupRow } from "../config/startup";

export const VERSION_TEXT = "0.1.0";

// --- exec ---

export function cmdEnable(x: i32): void {
  if (execAt(x).mode != MODE_USER) return;
  if (enableSecretSet()) {
    execAskEnable(x);
  } else if (x != EXEC_REPLAY && lineType(x) == LINE_VTY) {
    say("% No password set\r\n"); // IOS refuses enable over telnet without a secret
  } else {
    execSetMode(x, MODE_PRIV, 0, 0);
  }
}

export function cmdDisable(x: i32): void {
  execSetMode(x, MODE_USER, 0, 0);
}

export function cmdExit(x: i32): void {
  execExit(x);
}

export function cmdEnd(x: i32): void {
  execEndConfig(x);
}

export function cmdConfigure(x: i32): void {
  say("Enter configuration commands, one per line.  End with CNTL/Z.\r\n");
  execSetMode(x, MODE_CONFIG, 0, 0);
}

// --- configuration ---

export function cmdHostname(x: i32): void {
  if (argNegated()) {
    hostnameDefault();
    return;
  }
  if (!setHostname(argPtr(1), argLen(1))) say("% Hostname contains one or more illegal characters.\r\n");
}

/** enable secret WORD (tag 0) / enable secret 5 HASHED (tag 5) / no enable secret. */
export function cmdEnableSecret(x: i32): void {
  if (argNegated()) {
    setEnableSecret(0, 0);
    return;
  }
  if (parsedTag() == 5) {
    if (parseSecret(argPtr(3), argLen(3))) setEnableSecret(parsedSecretSalt(), parsedSecretHash());
    else say("ERROR: The secret you entered is not a valid encrypted secret.\r\n");
    return;
  }
  const salt = secretSalt();
  setEnableSecret(salt, secretHash(salt, argPtr(2), argLen(2)));
}

/** The running-config sections of this file: the hostname (always), the enable secret (when set). */
export function hostnameSection(row: u32, w: Writer): bool {
  if (row != 0) return false;
  putStr(w, "hostname ");
  putHostname(w);
  return true;
}

export function enableSecretSection(row: u32, w: Writer): bool {
  if (row != 0 || !enableSecretSet()) return false;
  putStr(w, "enable secret 5 ");
  putSecret(w, enableSecretSalt(), enableSecretHash());
  return true;
}

// --- show ---

export function cmdShowVersion(x: i32): void {
  execStartOutput(x, versionRow);
}

function putPlural(w: Writer, n: u64, unit: Text): void {
  putU64(w, n);
  putStr(w, " ");
  putStr(w, unit);
  if (n != 1) putStr(w, "s");
}

function versionRow(x: i32): bool {
  const row = execAt(x).genRow;
  if (row == 0) {
    say("Terminal server firmware (WebAssembly), Version ");
    say(VERSION_TEXT);
    say("\r\nROM: WebAssembly host (HAL termsrv:firmware/hal@0.1.0)\r\n\r\n");
  } else if (row == 1) {
    putHostname(out);
    say(" uptime is ");
    const minutes = now() / 60_000;
    const weeks = minutes / (7 * 24 * 60);
    const days = (minutes / (24 * 60)) % 7;
    const hours = (minutes / 60) % 24;
    if (weeks > 0) { putPlural(out, weeks, "week"); say(", "); }
    if (weeks > 0 || days > 0) { putPlural(out, days, "day"); say(", "); }
    if (weeks > 0 || days > 0 || hours > 0) { putPlural(out, hours, "hour"); say(", "); }
    putPlural(out, minutes % 60, "minute");
    say("\r\nSystem image file is \"firmware.wasm\"\r\n\r\n");
  } else if (row == 2) {
    // The memory is fixed at a few pages (DESIGN.md invariant 2): its size fits a u32.
    const total = <u32>memory.size() << 16;
    const used = <u32>__heap_base + heapUsed();
    sayTpl("wasm32 processor with \x01 bytes of memory (\x02 bytes in use, \x03 bytes free).\r\n", total, used, total - used);
  } else if (row == 3) {
    sayTpl("1 Ethernet interface\r\n\x01 terminal lines, 1 auxiliary line, \x02 virtual terminal lines\r\n\x03 bytes of non-volatile configuration memory.\r\n\r\n",
      <u32>TTY_COUNT, <u32>VTY_COUNT, halNvramSize());
  } else if (row == 4) {
    say("Configuration register is 0x2102\r\n\r\n");
  } else {
    return false;
  }
  return true;
}

/** show running-config / write terminal: `Building configuration...`, the byte count, the rows. */
export function cmdShowRunning(x: i32): void {
  execStartOutput(x, runningRow);
}

function runningRow(x: i32): bool {
  const e = execAt(x);
  if (e.genRow == 0) {
    sayTpl("Building configuration...\r\n\r\nCurrent configuration : \x01 bytes\r\n", runningBytes());
    e.genC = 0;
    e.genD = 0;
    return true;
  }
  runningSeek(e.genC, e.genD);
  const more = runningNext(out);
  e.genC = runningCursorSection();
  e.genD = runningCursorRow();
  say("\r\n");
  return more;
}

export function cmdShowStartup(x: i32): void {
  execStartOutput(x, startupRow);
}

// --- saving, erasing, reloading ---

function saveRunning(): void {
  say("Building configuration...\r\n");
  say(nvramSaveRunning() ? "[OK]\r\n" : "%Error writing nvram:startup-config (No space left on device)\r\n");
}

export function cmdWriteMemory(x: i32): void {
  saveRunning();
}

export function cmdCopyRunStart(x: i32): void {
  say("Destination filename [startup-config]? ");
  execAsk(x, copyDestination);
}

function copyDestination(x: i32): void {
  const e = execAt(x);
  const ok = e.len == 0 || bytesEqualString(editPtr(x), e.len, "startup-config");
  if (ok) saveRunning();
  else say("%Error opening nvram:(Permission denied)\r\n");
}

export function cmdErase(x: i32): void {
  say("Erasing the nvram filesystem will remove all configuration files! Continue? ");
  execConfirm(x, eraseConfirmed);
}

function eraseConfirmed(x: i32): void {
  say(nvramErase() ? "[OK]\r\nErase of nvram: complete\r\n" : "%Error erasing nvram:\r\n");
}

export function cmdReload(x: i32): void {
  say("Proceed with reload? ");
  execConfirm(x, reloadConfirmed);
}

function reloadConfirmed(x: i32): void {
  execFlush(x);
  for (let n = 0; n < LINE_COUNT; n++) lineDrain(n);
  logText(LOG_NOTICE, "%SYS-5-RELOAD: Reload requested by console.");
  halReload();
}

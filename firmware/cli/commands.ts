// The command table: every command of every mode, one row each, in static data (no code per
// command: the rows cost 7 bytes each, a `cmd(...)` call at boot cost 16 plus a function object).
//
// HOW TO ADD A COMMAND
//   1. Write the handler `export function cmdXxx(x: i32): void` in the file of its topic
//      (cmd-system.ts, cmd-line.ts; the TCP/IP layer adds cmd-interface.ts, cmd-tcp.ts, ...).
//      It reads its words with argGiven/argU32/argIp/argPtr/argLen(t) (t = the word's index in
//      the syntax, 0-based, `no` not counted), argNegated() and parsedTag(); it writes short
//      output to `out` (exec-state.ts) or starts a generator for long output (execStartOutput);
//      it changes mode with execSetMode (a new sub-mode: see modes.ts).
//   2. Add one row to COMMAND_ROWS below: modes, syntax, help, handler, tag (0 when unused), and
//      for a new handler a member of enum H and a case in runCommand.
//      modes: M_USER, M_PRIV, M_EXEC (both), M_CONFIG, M_LINE, M_IF, M_CONFIG_ANY.
//      syntax: keywords, WORD, LINE, A.B.C.D, <lo-hi>, [optional]...; `[no] ` in front when a no
//      form exists (see parser.ts). help: one `|`-separated text per word, empty = as another
//      entry says for the same word.
//   3. If it has configuration state, print it in a running-config section (config/running.ts:
//      configSection(SECTION_xxx, rows) in commandsBoot) so write memory saves it and boot
//      replays it through this same table.
//   Abbreviation, `?` help, Tab, `no` forms and the error messages then work by themselves.
//   A command that waits on time or on the network (ping) is a generator whose row, when it has
//   nothing to print yet, calls execWait(x, atMs) and returns true: the exec then calls it once per
//   poll instead of at once (cmd-ip.ts's pingRow is the example).
//   Examples: cmd-interface.ts (interface, ip address, shutdown), cmd-ip.ts (ping, show arp),
//   cmd-tcp.ts (service tcp-keepalives-in, show tcp brief, debug ip tcp transactions).
import { TTY_COUNT, VTY_COUNT, COMMAND_COUNT_MAX } from "../lib/limits";
import { cmd, commandsRunBy, parsedCommand } from "./parser";
import { M_USER, M_PRIV, M_EXEC, M_CONFIG, M_LINE, M_IF, M_CONFIG_ANY } from "./modes";
import {
  cmdEnable, cmdDisable, cmdExit, cmdEnd, cmdConfigure, cmdHostname, cmdEnableSecret, cmdShowVersion,
  cmdShowRunning, cmdShowStartup, cmdWriteMemory, cmdCopyRunStart, cmdErase, cmdReload, hostnameSection, enableSecretSection,
} from "./cmd-system";
import {
  cmdLine, cmdExecTimeout, cmdExec, cmdLogin, cmdPassword, cmdAutocommand, cmdTransportInput, cmdEscape,
  cmdLineNumber, SETTING_SPEED, SETTING_DATABITS, SETTING_PARITY, SETTING_STOPBITS, SETTING_FLOW, SETTING_ROTARY,
  SETTING_SESSION_LIMIT, SETTING_SESSION_TIMEOUT, SETTING_LOGIN_RESPONSE, cmdShowLine, cmdShowUsers, cmdClearLine, lineSection, LINE_ABSOLUTE,
  cmdRefuseMessage, cmdBusyMessage, busyMessageSection,
} from "./cmd-line";
import { LINE_CON, LINE_TTY, LINE_AUX, LINE_VTY, TRANSPORT_ALL, TRANSPORT_TELNET, TRANSPORT_SSH } from "../tty/line-table";
import {
  configSection, SECTION_SYSTEM, SECTION_ENABLE, SECTION_LINE, SECTION_SERVICE, SECTION_IP_TCP, SECTION_INTERFACE, SECTION_IP,
  SECTION_MESSAGES,
} from "../config/running";
import {
  cmdInterface, cmdIpAddress, cmdShutdown, cmdDefaultGateway, cmdShowInterfaces, cmdShowIpInterfaceBrief,
  interfaceSection, gatewaySection, interfaceCliBoot,
} from "./cmd-interface";
import { cmdShowArp, cmdClearArp, cmdPing, ipCliBoot } from "./cmd-ip";
import {
  cmdKeepalives, cmdKeepaliveTimer, cmdSynwait, cmdShowTcpBrief, cmdShowTcpStatistics, cmdClearTcpTcb, cmdClearTcpLine,
  cmdDebugTcp, cmdDebugAll, cmdShowDebugging, serviceSection, ipTcpSection, tcpCliBoot,
} from "./cmd-tcp";
import {
  sessionCommandsBoot, cmdOpen, cmdResume, cmdDisconnect, cmdWhere, OPEN_KEYWORD, OPEN_BARE, RESUME_BARE,
} from "./cmd-session";
import { loginCommandsBoot, cmdLoginBlock, cmdLoginDelay, cmdShowLoginFailures } from "./cmd-login";

/** The handler column: which function runs a row's command (runCommand). */
const enum H {
  NoKeyword, // the `no` keyword itself (no handler: `no` alone is incomplete)
  Enable,
  Disable,
  Exit,
  Configure,
  ShowVersion,
  ShowRunning,
  ShowStartup,
  ShowLine,
  ShowUsers,
  WriteMemory,
  CopyRunStart,
  Erase,
  Reload,
  ClearLine,
  ShowInterfaces,
  ShowIpInterfaceBrief,
  ShowArp,
  ClearArp,
  Ping,
  ShowTcpBrief,
  ShowTcpStatistics,
  ClearTcpTcb,
  ClearTcpLine,
  DebugTcp,
  DebugAll,
  ShowDebugging,
  Hostname,
  EnableSecret,
  Line,
  Interface,
  DefaultGateway,
  Synwait,
  KeepaliveTimer,
  Keepalives,
  BusyMessage,
  End,
  ExecTimeout,
  Exec,
  Login,
  Password,
  Autocommand,
  TransportInput,
  Escape,
  RefuseMessage,
  Open,
  Resume,
  Disconnect,
  Where,
  LoginBlock,
  LoginDelay,
  ShowLoginFailures,
  IpAddress,
  Shutdown,
  /** The number settings of the lines (cmd-line.ts NUMBER_SETTINGS): H.LineNumber + SETTING_xxx. */
  LineNumber,
}

/**
 * modes, syntax, help, handler, tag: 7 bytes a row (u8, u16, u16, u8, u8; the build casts the
 * constants to u8 and writes each text as the handle of a printed text, dictionary codes allowed:
 * scripts/text-table.js ROW_TABLES; cmd() expands the syntax once at boot); a row of zeros ends the
 * table. Modes, handler ids and tags must stay below 256. The line numbers in the syntax strings are literal: keep them in step with
 * limits.ts (commandsBoot asserts it).
 */
const COMMAND_ROWS = memory.data<u8>([

  // --- EXEC (user and privileged) ---
  M_USER, "enable", "Turn on privileged commands", H.Enable, 0,
  M_PRIV, "disable", "Turn off privileged commands", H.Disable, 0,
  M_EXEC, "exit", "Exit from the EXEC", H.Exit, 0,
  M_EXEC, "logout", "Exit from the EXEC", H.Exit, 0,
  M_PRIV, "configure terminal", "Enter configuration mode|Configure from the terminal", H.Configure, 0,
  M_EXEC, "show version", "Show running system information|System hardware and software status", H.ShowVersion, 0,
  M_PRIV, "show running-config", "|Current operating configuration", H.ShowRunning, 0,
  M_PRIV, "show startup-config", "|Contents of startup configuration", H.ShowStartup, 0,
  M_EXEC, "show line [<0-22>]", "|TTY line information|First Line range", H.ShowLine, 0,
  M_EXEC, "show users", "|Display information about terminal lines", H.ShowUsers, 0,
  M_PRIV, "write [memory]", "Write running configuration to memory, network, or terminal|Write to NV memory", H.WriteMemory, 0,
  M_PRIV, "write terminal", "|Write to terminal", H.ShowRunning, 0,
  M_PRIV, "copy running-config startup-config", "Copy from one file to another|Copy from current system configuration|Copy to startup configuration", H.CopyRunStart, 0,
  M_PRIV, "erase startup-config", "Erase a filesystem|Erase contents of configuration memory", H.Erase, 0,
  M_PRIV, "reload", "Halt and perform a cold restart", H.Reload, 0,
  M_PRIV, "clear line <0-22>", "Reset functions|Reset a terminal line|Line number", H.ClearLine, 0,

  // --- TCP/IP (cmd-interface.ts, cmd-ip.ts, cmd-tcp.ts) ---
  M_EXEC, "show interfaces", "|Interface status", H.ShowInterfaces, 0,
  M_EXEC, "show ip interface brief", "|IP information|IP interface status|Brief summary", H.ShowIpInterfaceBrief, 0,
  M_EXEC, "show arp", "|ARP table", H.ShowArp, 0,
  M_PRIV, "clear arp-cache", "|Clear the ARP cache", H.ClearArp, 0,
  M_EXEC, "ping A.B.C.D [repeat] [<1-2147483647>] [size] [<36-1500>]", "Send echo messages|Destination address|Repeat count follows|Repeat count|Size follows|Datagram size", H.Ping, 0,
  M_EXEC, "ping A.B.C.D size <36-1500>", "||Size follows|Datagram size", H.Ping, 1,
  M_EXEC, "show tcp brief [all]", "|TCP connections|Brief display|All entries", H.ShowTcpBrief, 0,
  M_EXEC, "show tcp statistics", "||TCP statistics", H.ShowTcpStatistics, 0,
  M_PRIV, "clear tcp tcb WORD", "|TCP connection|By TCB address|TCB address (hex)", H.ClearTcpTcb, 0,
  M_PRIV, "clear tcp line <0-22>", "||By line|Line number", H.ClearTcpLine, 0,
  M_PRIV, "no", "Disable debugging functions", H.NoKeyword, 0,
  M_PRIV, "[no] debug ip tcp transactions", "Debugging functions|IP information|TCP information|Significant TCP events", H.DebugTcp, 0,
  M_PRIV, "[no] debug all", "|All debugging", H.DebugAll, 1,
  M_PRIV, "undebug all", "Disable debugging functions|All debugging", H.DebugAll, 0,
  M_EXEC, "show debugging", "|Debugging state", H.ShowDebugging, 0,

  // --- global configuration ---
  M_CONFIG_ANY, "no", "Negate a command or set its defaults", H.NoKeyword, 0,
  M_CONFIG, "[no] hostname WORD", "Set system's network name|This system's network name", H.Hostname, 0,
  M_CONFIG, "[no] enable secret WORD", "Modify enable password parameters|Assign the privileged level secret|The UNENCRYPTED (cleartext) 'enable' secret", H.EnableSecret, 0,
  M_CONFIG, "enable secret 5 WORD", "||Specifies an ENCRYPTED secret will follow|The ENCRYPTED 'enable' secret string", H.EnableSecret, 5,
  M_CONFIG, "line <0-22> [<0-22>]", "Configure a terminal line|First Line number|Last Line number", H.Line, LINE_ABSOLUTE,
  M_CONFIG, "line console <0-0>", "|Primary terminal line|First Line number", H.Line, LINE_CON,
  M_CONFIG, "line tty <1-16> [<1-16>]", "|Terminal controller|First Line number|Last Line number", H.Line, LINE_TTY,
  M_CONFIG, "line aux <0-0>", "|Auxiliary line|First Line number", H.Line, LINE_AUX,
  M_CONFIG, "line vty <0-4> [<0-4>]", "|Virtual terminal|First Line number|Last Line number", H.Line, LINE_VTY,
  M_CONFIG, "interface ethernet <0-0>", "Select an interface to configure|IEEE 802.3|Interface number", H.Interface, 0,
  M_CONFIG, "interface WORD", "|Interface name", H.Interface, 0,
  M_CONFIG, "[no] ip default-gateway A.B.C.D", "Global IP configuration|Default gateway|Gateway address", H.DefaultGateway, 0,
  M_CONFIG, "[no] ip tcp synwait-time <5-300>", "|TCP parameters|Wait for new connections|Seconds", H.Synwait, 0,
  M_CONFIG, "[no] ip tcp keepalive idle <1-86400>", "||Keepalive timers|Idle time before probing|Seconds", H.KeepaliveTimer, 0,
  M_CONFIG, "[no] ip tcp keepalive interval <1-3600>", "|||Time between probes|Seconds", H.KeepaliveTimer, 1,
  M_CONFIG, "[no] ip tcp keepalive count <1-100>", "|||Probes before dropping|Probes", H.KeepaliveTimer, 2,
  M_CONFIG, "[no] service tcp-keepalives-in", "Modify network services|Keepalives on incoming connections", H.Keepalives, 0,
  M_CONFIG, "[no] service tcp-keepalives-out", "|Keepalives on outgoing connections", H.Keepalives, 1,
  M_CONFIG, "[no] busy-message A.B.C.D LINE", "Display message when connection to host fails|Host address|c message-text c, where 'c' is a delimiting character", H.BusyMessage, 0,
  M_CONFIG, "exit", "Exit from configure mode", H.Exit, 0,
  M_CONFIG_ANY, "end", "Exit from configure mode", H.End, 0,

  // --- line configuration (on the lines of the `line` command) ---
  M_LINE, "[no] exec-timeout <0-35791> [<0-2147483>]", "Set the EXEC timeout|Timeout in minutes|Timeout in seconds", H.ExecTimeout, 0,
  M_LINE, "[no] exec", "Start an EXEC process", H.Exec, 0,
  M_LINE, "[no] login", "Enable password checking", H.Login, 0,
  M_LINE, "[no] password WORD", "Set a password|The UNENCRYPTED (cleartext) line password", H.Password, 0,
  M_LINE, "password 5 WORD", "|Specifies a HIDDEN password will follow|The HIDDEN line password string", H.Password, 5,
  M_LINE, "[no] autocommand LINE", "Automatically execute an EXEC command|Appropriate EXEC command", H.Autocommand, 0,
  M_LINE, "[no] transport input | all", "Define transport protocols for line|Define which protocols to use when connecting to the terminal server|All protocols", H.TransportInput, TRANSPORT_ALL,
  M_LINE, "transport input none", "||No protocols", H.TransportInput, 0,
  M_LINE, "transport input telnet", "||TCP/IP Telnet protocol", H.TransportInput, TRANSPORT_TELNET,
  M_LINE, "transport input ssh", "||TCP/IP SSH protocol", H.TransportInput, TRANSPORT_SSH,
  M_LINE, "[no] escape-character <0-255>", "Change the current line's escape character|Escape character", H.Escape, 0,
  M_LINE, "escape-character default", "|Use default escape character", H.Escape, 1,
  M_LINE, "escape-character none", "|Disable escape entirely", H.Escape, 2,
  M_LINE, "[no] speed <50-4000000>", "Set the transmit and receive speeds|Transmit and receive speeds", H.LineNumber + SETTING_SPEED, 0,
  M_LINE, "[no] databits <5-8>", "Set number of data bits per character|Number of data bits", H.LineNumber + SETTING_DATABITS, 0,
  M_LINE, "[no] parity | none", "Set terminal parity|No parity", H.LineNumber + SETTING_PARITY, 1,
  M_LINE, "parity odd", "|Odd parity", H.LineNumber + SETTING_PARITY, 2,
  M_LINE, "parity even", "|Even parity", H.LineNumber + SETTING_PARITY, 3,
  M_LINE, "parity mark", "|Mark parity", H.LineNumber + SETTING_PARITY, 4,
  M_LINE, "parity space", "|Space parity", H.LineNumber + SETTING_PARITY, 5,
  M_LINE, "[no] stopbits | 1", "Set async line stop bits|One stop bit", H.LineNumber + SETTING_STOPBITS, 1,
  M_LINE, "stopbits 1.5", "|One and one-half stop bits", H.LineNumber + SETTING_STOPBITS, 3,
  M_LINE, "stopbits 2", "|Two stop bits", H.LineNumber + SETTING_STOPBITS, 2,
  M_LINE, "[no] flowcontrol | none", "Set the flow control|Set no flow control", H.LineNumber + SETTING_FLOW, 1,
  M_LINE, "flowcontrol software", "|Set software flow control", H.LineNumber + SETTING_FLOW, 2,
  M_LINE, "flowcontrol hardware", "|Set hardware flow control", H.LineNumber + SETTING_FLOW, 3,
  M_LINE, "[no] rotary <1-100>", "Add line to a rotary group|Rotary group to add line to", H.LineNumber + SETTING_ROTARY, 0,
  M_LINE, "[no] refuse-message LINE", "Define a refuse banner|c refuse-message-text c, where 'c' is a delimiting character", H.RefuseMessage, 0,
  M_LINE, "exit", "Exit from line configuration mode", H.Exit, 0,

  // --- sessions: telnet, resume, disconnect, where, session-limit, session-timeout ---
  M_EXEC, "telnet A.B.C.D [<1-65535>]", "Open a telnet connection|IP address of a remote system|Port number", H.Open, OPEN_KEYWORD,
  M_EXEC, "connect A.B.C.D [<1-65535>]", "Open a terminal connection||", H.Open, OPEN_KEYWORD,
  M_EXEC, "A.B.C.D [<1-65535>]", "Open a telnet connection to this address|", H.Open, OPEN_BARE,
  M_EXEC, "resume [<1-255>]", "Resume an active network connection|The number of the connection", H.Resume, 0,
  M_EXEC, "<1-255>", "Session number to resume", H.Resume, RESUME_BARE,
  M_EXEC, "disconnect [<1-255>]", "Disconnect an existing network connection|The number of the connection", H.Disconnect, 0,
  M_EXEC, "where", "List active connections", H.Where, 0,
  M_EXEC, "show sessions", "|Information about Telnet connections", H.Where, 0,
  M_LINE, "[no] session-limit <1-255>", "Set maximum number of sessions|Maximum number of sessions", H.LineNumber + SETTING_SESSION_LIMIT, 0,
  M_LINE, "[no] session-timeout <0-35791>", "Set interval for closing connection when there is no input traffic|Session timeout interval in minutes", H.LineNumber + SETTING_SESSION_TIMEOUT, 0,
  M_LINE, "[no] timeout login response <1-300>", "Timeouts|Timeouts related to the login sequence|Timeout for any user input during login sequences|Timeout in seconds", H.LineNumber + SETTING_LOGIN_RESPONSE, 0,
  M_CONFIG, "[no] login block-for | <1-65535> attempts <1-65535> within <1-65535>", "Enable secure login checking|Set quiet-mode active time period|Seconds|Set max number of fail attempts|Attempts|Watch period for repeated login failures|Seconds", H.LoginBlock, 0,
  M_CONFIG, "[no] login delay <1-10>", "|Set delay between successive fail login|Seconds", H.LoginDelay, 0,
  M_EXEC, "show login failures", "|Display Secure Login Configurations and State|Display data about login failures", H.ShowLoginFailures, 0,

  // --- interface configuration ---
  M_IF, "[no] ip address A.B.C.D A.B.C.D", "Interface IP configuration|Set the IP address|IP address|Subnet mask", H.IpAddress, 0,
  M_IF, "[no] shutdown", "Shutdown the interface", H.Shutdown, 0,
  M_IF, "exit", "Exit from interface configuration mode", H.Exit, 0,

  // --- running-config sections ---

  0, 0, 0, 0, 0,
]);

// @ts-ignore: decorator
@inline const ROW_BYTES: usize = 7;

export function commandsBoot(): void {
  assert(TTY_COUNT == 16 && VTY_COUNT == 5, "commands: update the line ranges in the syntax strings");
  for (let i = 0; i < COMMAND_COUNT_MAX; i++) {
    const row = COMMAND_ROWS + <usize>i * ROW_BYTES;
    const modes = <u32>load<u8>(row);
    if (modes == 0) break;
    cmd(modes, load<u16>(row, 1), load<u16>(row, 3), load<u8>(row, 5), load<u8>(row, 6));
  }
  commandsRunBy(runCommand);
  interfaceCliBoot();
  ipCliBoot();
  tcpCliBoot();
  sessionCommandsBoot();
  loginCommandsBoot();

  // --- running-config sections ---
  configSection(SECTION_SYSTEM, hostnameSection);
  configSection(SECTION_ENABLE, enableSecretSection);
  configSection(SECTION_LINE, lineSection);
  configSection(SECTION_SERVICE, serviceSection);
  configSection(SECTION_IP_TCP, ipTcpSection);
  configSection(SECTION_INTERFACE, interfaceSection);
  configSection(SECTION_IP, gatewaySection);
  configSection(SECTION_MESSAGES, busyMessageSection);
}

/** Runs the parsed command: the exec calls this for every command (parser.ts parsedHandler). */
function runCommand(x: i32): void {
  const h = parsedCommand();
  if (h >= <u32>H.LineNumber) {
    cmdLineNumber(x, h - <u32>H.LineNumber);
    return;
  }
  switch (h) {
    case H.Enable: cmdEnable(x); break;
    case H.Disable: cmdDisable(x); break;
    case H.Exit: cmdExit(x); break;
    case H.Configure: cmdConfigure(x); break;
    case H.ShowVersion: cmdShowVersion(x); break;
    case H.ShowRunning: cmdShowRunning(x); break;
    case H.ShowStartup: cmdShowStartup(x); break;
    case H.ShowLine: cmdShowLine(x); break;
    case H.ShowUsers: cmdShowUsers(x); break;
    case H.WriteMemory: cmdWriteMemory(x); break;
    case H.CopyRunStart: cmdCopyRunStart(x); break;
    case H.Erase: cmdErase(x); break;
    case H.Reload: cmdReload(x); break;
    case H.ClearLine: cmdClearLine(x); break;
    case H.ShowInterfaces: cmdShowInterfaces(x); break;
    case H.ShowIpInterfaceBrief: cmdShowIpInterfaceBrief(x); break;
    case H.ShowArp: cmdShowArp(x); break;
    case H.ClearArp: cmdClearArp(x); break;
    case H.Ping: cmdPing(x); break;
    case H.ShowTcpBrief: cmdShowTcpBrief(x); break;
    case H.ShowTcpStatistics: cmdShowTcpStatistics(x); break;
    case H.ClearTcpTcb: cmdClearTcpTcb(x); break;
    case H.ClearTcpLine: cmdClearTcpLine(x); break;
    case H.DebugTcp: cmdDebugTcp(x); break;
    case H.DebugAll: cmdDebugAll(x); break;
    case H.ShowDebugging: cmdShowDebugging(x); break;
    case H.Hostname: cmdHostname(x); break;
    case H.EnableSecret: cmdEnableSecret(x); break;
    case H.Line: cmdLine(x); break;
    case H.Interface: cmdInterface(x); break;
    case H.DefaultGateway: cmdDefaultGateway(x); break;
    case H.Synwait: cmdSynwait(x); break;
    case H.KeepaliveTimer: cmdKeepaliveTimer(x); break;
    case H.Keepalives: cmdKeepalives(x); break;
    case H.BusyMessage: cmdBusyMessage(x); break;
    case H.End: cmdEnd(x); break;
    case H.ExecTimeout: cmdExecTimeout(x); break;
    case H.Exec: cmdExec(x); break;
    case H.Login: cmdLogin(x); break;
    case H.Password: cmdPassword(x); break;
    case H.Autocommand: cmdAutocommand(x); break;
    case H.TransportInput: cmdTransportInput(x); break;
    case H.Escape: cmdEscape(x); break;
    case H.RefuseMessage: cmdRefuseMessage(x); break;
    case H.Open: cmdOpen(x); break;
    case H.Resume: cmdResume(x); break;
    case H.Disconnect: cmdDisconnect(x); break;
    case H.Where: cmdWhere(x); break;
    case H.LoginBlock: cmdLoginBlock(x); break;
    case H.LoginDelay: cmdLoginDelay(x); break;
    case H.ShowLoginFailures: cmdShowLoginFailures(x); break;
    case H.IpAddress: cmdIpAddress(x); break;
    case H.Shutdown: cmdShutdown(x); break;
  }
}

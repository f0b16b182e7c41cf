// The command table: every command of every mode, one line each.
//
// HOW TO ADD A COMMAND
//   1. Write the handler `export function cmdXxx(x: i32): void` in the file of its topic
//      (cmd-system.ts, cmd-line.ts; the TCP/IP layer adds cmd-interface.ts, cmd-tcp.ts, ...).
//      It reads its words with argGiven/argU32/argIp/argPtr/argLen(t) (t = the word's index in
//      the syntax, 0-based, `no` not counted), argNegated() and parsedTag(); it writes short
//      output to `out` (exec-state.ts) or starts a generator for long output (execStartOutput);
//      it changes mode with execSetMode (a new sub-mode: see modes.ts).
//   2. Add one line below: cmd(modes, syntax, help, handler[, tag]).
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
import { TTY_COUNT, VTY_COUNT } from "../lib/limits";
import { cmd, cmdNoKeyword } from "./parser";
import { M_USER, M_PRIV, M_EXEC, M_CONFIG, M_LINE, M_IF, M_CONFIG_ANY } from "./modes";
import {
  cmdEnable, cmdDisable, cmdExit, cmdEnd, cmdConfigure, cmdHostname, cmdEnableSecret, cmdShowVersion,
  cmdShowRunning, cmdShowStartup, cmdWriteMemory, cmdCopyRunStart, cmdErase, cmdReload, systemSection,
} from "./cmd-system";
import {
  cmdLine, cmdExecTimeout, cmdExec, cmdLogin, cmdPassword, cmdAutocommand, cmdTransportInput, cmdEscape,
  cmdSpeed, cmdDatabits, cmdParity, cmdStopbits, cmdFlow, cmdShowLine, cmdShowUsers, cmdClearLine, lineSection, LINE_ABSOLUTE,
  cmdRefuseMessage, cmdBusyMessage, busyMessageSection, cmdRotary,
} from "./cmd-line";
import { LINE_CON, LINE_TTY, LINE_AUX, LINE_VTY, TRANSPORT_ALL, TRANSPORT_TELNET, TRANSPORT_SSH } from "../tty/line-table";
import {
  configSection, SECTION_SYSTEM, SECTION_LINE, SECTION_SERVICE, SECTION_IP_TCP, SECTION_INTERFACE, SECTION_IP,
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
import { sessionCommandsBoot } from "./cmd-session";
import { loginCommandsBoot } from "./cmd-login";

export function commandsBoot(): void {
  // The line numbers in the syntax strings below are literal: keep them in step with limits.ts.
  assert(TTY_COUNT == 16 && VTY_COUNT == 5, "commands: update the line ranges in the syntax strings");

  // --- EXEC (user and privileged) ---
  cmd(M_USER, "enable", "Turn on privileged commands", cmdEnable);
  cmd(M_PRIV, "disable", "Turn off privileged commands", cmdDisable);
  cmd(M_EXEC, "exit", "Exit from the EXEC", cmdExit);
  cmd(M_EXEC, "logout", "Exit from the EXEC", cmdExit);
  cmd(M_PRIV, "configure terminal", "Enter configuration mode|Configure from the terminal", cmdConfigure);
  cmd(M_EXEC, "show version", "Show running system information|System hardware and software status", cmdShowVersion);
  cmd(M_PRIV, "show running-config", "|Current operating configuration", cmdShowRunning);
  cmd(M_PRIV, "show startup-config", "|Contents of startup configuration", cmdShowStartup);
  cmd(M_EXEC, "show line [<0-22>]", "|TTY line information|First Line range", cmdShowLine);
  cmd(M_EXEC, "show users", "|Display information about terminal lines", cmdShowUsers);
  cmd(M_PRIV, "write [memory]", "Write running configuration to memory, network, or terminal|Write to NV memory", cmdWriteMemory);
  cmd(M_PRIV, "write terminal", "|Write to terminal", cmdShowRunning);
  cmd(M_PRIV, "copy running-config startup-config", "Copy from one file to another|Copy from current system configuration|Copy to startup configuration", cmdCopyRunStart);
  cmd(M_PRIV, "erase startup-config", "Erase a filesystem|Erase contents of configuration memory", cmdErase);
  cmd(M_PRIV, "reload", "Halt and perform a cold restart", cmdReload);
  cmd(M_PRIV, "clear line <0-22>", "Reset functions|Reset a terminal line|Line number", cmdClearLine);

  // --- TCP/IP (cmd-interface.ts, cmd-ip.ts, cmd-tcp.ts) ---
  interfaceCliBoot();
  ipCliBoot();
  tcpCliBoot();
  cmd(M_EXEC, "show interfaces", "|Interface status", cmdShowInterfaces);
  cmd(M_EXEC, "show ip interface brief", "|IP information|IP interface status|Brief summary", cmdShowIpInterfaceBrief);
  cmd(M_EXEC, "show arp", "|ARP table", cmdShowArp);
  cmd(M_PRIV, "clear arp-cache", "|Clear the ARP cache", cmdClearArp);
  cmd(M_EXEC, "ping A.B.C.D [repeat] [<1-2147483647>] [size] [<36-1500>]", "Send echo messages|Destination address|Repeat count follows|Repeat count|Size follows|Datagram size", cmdPing, 0);
  cmd(M_EXEC, "ping A.B.C.D size <36-1500>", "||Size follows|Datagram size", cmdPing, 1);
  cmd(M_EXEC, "show tcp brief [all]", "|TCP connections|Brief display|All entries", cmdShowTcpBrief);
  cmd(M_EXEC, "show tcp statistics", "||TCP statistics", cmdShowTcpStatistics);
  cmd(M_PRIV, "clear tcp tcb WORD", "|TCP connection|By TCB address|TCB address (hex)", cmdClearTcpTcb);
  cmd(M_PRIV, "clear tcp line <0-22>", "||By line|Line number", cmdClearTcpLine);
  cmdNoKeyword(M_PRIV, "Disable debugging functions");
  cmd(M_PRIV, "[no] debug ip tcp transactions", "Debugging functions|IP information|TCP information|Significant TCP events", cmdDebugTcp);
  cmd(M_PRIV, "[no] debug all", "|All debugging", cmdDebugAll, 1);
  cmd(M_PRIV, "undebug all", "Disable debugging functions|All debugging", cmdDebugAll, 0);
  cmd(M_EXEC, "show debugging", "|Debugging state", cmdShowDebugging);

  // --- global configuration ---
  cmdNoKeyword(M_CONFIG_ANY, "Negate a command or set its defaults");
  cmd(M_CONFIG, "[no] hostname WORD", "Set system's network name|This system's network name", cmdHostname);
  cmd(M_CONFIG, "[no] enable secret WORD", "Modify enable password parameters|Assign the privileged level secret|The UNENCRYPTED (cleartext) 'enable' secret", cmdEnableSecret);
  cmd(M_CONFIG, "enable secret 5 WORD", "||Specifies an ENCRYPTED secret will follow|The ENCRYPTED 'enable' secret string", cmdEnableSecret, 5);
  cmd(M_CONFIG, "line <0-22> [<0-22>]", "Configure a terminal line|First Line number|Last Line number", cmdLine, LINE_ABSOLUTE);
  cmd(M_CONFIG, "line console <0-0>", "|Primary terminal line|First Line number", cmdLine, LINE_CON);
  cmd(M_CONFIG, "line tty <1-16> [<1-16>]", "|Terminal controller|First Line number|Last Line number", cmdLine, LINE_TTY);
  cmd(M_CONFIG, "line aux <0-0>", "|Auxiliary line|First Line number", cmdLine, LINE_AUX);
  cmd(M_CONFIG, "line vty <0-4> [<0-4>]", "|Virtual terminal|First Line number|Last Line number", cmdLine, LINE_VTY);
  cmd(M_CONFIG, "interface ethernet <0-0>", "Select an interface to configure|IEEE 802.3|Interface number", cmdInterface);
  cmd(M_CONFIG, "interface WORD", "|Interface name", cmdInterface);
  cmd(M_CONFIG, "[no] ip default-gateway A.B.C.D", "Global IP configuration|Default gateway|Gateway address", cmdDefaultGateway);
  cmd(M_CONFIG, "[no] ip tcp synwait-time <5-300>", "|TCP parameters|Wait for new connections|Seconds", cmdSynwait);
  cmd(M_CONFIG, "[no] ip tcp keepalive idle <1-86400>", "||Keepalive timers|Idle time before probing|Seconds", cmdKeepaliveTimer, 0);
  cmd(M_CONFIG, "[no] ip tcp keepalive interval <1-3600>", "|||Time between probes|Seconds", cmdKeepaliveTimer, 1);
  cmd(M_CONFIG, "[no] ip tcp keepalive count <1-100>", "|||Probes before dropping|Probes", cmdKeepaliveTimer, 2);
  cmd(M_CONFIG, "[no] service tcp-keepalives-in", "Modify network services|Keepalives on incoming connections", cmdKeepalives, 0);
  cmd(M_CONFIG, "[no] service tcp-keepalives-out", "|Keepalives on outgoing connections", cmdKeepalives, 1);
  cmd(M_CONFIG, "[no] busy-message A.B.C.D LINE", "Display message when connection to host fails|Host address|c message-text c, where 'c' is a delimiting character", cmdBusyMessage);
  cmd(M_CONFIG, "exit", "Exit from configure mode", cmdExit);
  cmd(M_CONFIG_ANY, "end", "Exit from configure mode", cmdEnd);

  // --- line configuration (on the lines of the `line` command) ---
  cmd(M_LINE, "[no] exec-timeout <0-35791> [<0-2147483>]", "Set the EXEC timeout|Timeout in minutes|Timeout in seconds", cmdExecTimeout);
  cmd(M_LINE, "[no] exec", "Start an EXEC process", cmdExec);
  cmd(M_LINE, "[no] login", "Enable password checking", cmdLogin);
  cmd(M_LINE, "[no] password WORD", "Set a password|The UNENCRYPTED (cleartext) line password", cmdPassword);
  cmd(M_LINE, "password 5 WORD", "|Specifies a HIDDEN password will follow|The HIDDEN line password string", cmdPassword, 5);
  cmd(M_LINE, "[no] autocommand LINE", "Automatically execute an EXEC command|Appropriate EXEC command", cmdAutocommand);
  cmd(M_LINE, "[no] transport input | all", "Define transport protocols for line|Define which protocols to use when connecting to the terminal server|All protocols", cmdTransportInput, TRANSPORT_ALL);
  cmd(M_LINE, "transport input none", "||No protocols", cmdTransportInput, 0);
  cmd(M_LINE, "transport input telnet", "||TCP/IP Telnet protocol", cmdTransportInput, TRANSPORT_TELNET);
  cmd(M_LINE, "transport input ssh", "||TCP/IP SSH protocol", cmdTransportInput, TRANSPORT_SSH);
  cmd(M_LINE, "[no] escape-character <0-255>", "Change the current line's escape character|Escape character", cmdEscape, 0);
  cmd(M_LINE, "escape-character default", "|Use default escape character", cmdEscape, 1);
  cmd(M_LINE, "escape-character none", "|Disable escape entirely", cmdEscape, 2);
  cmd(M_LINE, "[no] speed <50-4000000>", "Set the transmit and receive speeds|Transmit and receive speeds", cmdSpeed);
  cmd(M_LINE, "[no] databits <5-8>", "Set number of data bits per character|Number of data bits", cmdDatabits);
  cmd(M_LINE, "[no] parity | none", "Set terminal parity|No parity", cmdParity, 1);
  cmd(M_LINE, "parity odd", "|Odd parity", cmdParity, 2);
  cmd(M_LINE, "parity even", "|Even parity", cmdParity, 3);
  cmd(M_LINE, "parity mark", "|Mark parity", cmdParity, 4);
  cmd(M_LINE, "parity space", "|Space parity", cmdParity, 5);
  cmd(M_LINE, "[no] stopbits | 1", "Set async line stop bits|One stop bit", cmdStopbits, 1);
  cmd(M_LINE, "stopbits 1.5", "|One and one-half stop bits", cmdStopbits, 3);
  cmd(M_LINE, "stopbits 2", "|Two stop bits", cmdStopbits, 2);
  cmd(M_LINE, "[no] flowcontrol | none", "Set the flow control|Set no flow control", cmdFlow, 1);
  cmd(M_LINE, "flowcontrol software", "|Set software flow control", cmdFlow, 2);
  cmd(M_LINE, "flowcontrol hardware", "|Set hardware flow control", cmdFlow, 3);
  cmd(M_LINE, "[no] rotary <1-100>", "Add line to a rotary group|Rotary group to add line to", cmdRotary);
  cmd(M_LINE, "[no] refuse-message LINE", "Define a refuse banner|c refuse-message-text c, where 'c' is a delimiting character", cmdRefuseMessage);
  cmd(M_LINE, "exit", "Exit from line configuration mode", cmdExit);

  // --- sessions: telnet, resume, disconnect, where, session-limit, session-timeout ---
  sessionCommandsBoot();
  loginCommandsBoot();

  // --- interface configuration: the TCP/IP layer adds its commands here ---
  cmd(M_IF, "[no] ip address A.B.C.D A.B.C.D", "Interface IP configuration|Set the IP address|IP address|Subnet mask", cmdIpAddress);
  cmd(M_IF, "[no] shutdown", "Shutdown the interface", cmdShutdown);
  cmd(M_IF, "exit", "Exit from interface configuration mode", cmdExit);

  // --- running-config sections ---
  configSection(SECTION_SYSTEM, systemSection);
  configSection(SECTION_LINE, lineSection);
  configSection(SECTION_SERVICE, serviceSection);
  configSection(SECTION_IP_TCP, ipTcpSection);
  configSection(SECTION_INTERFACE, interfaceSection);
  configSection(SECTION_IP, gatewaySection);
  configSection(SECTION_MESSAGES, busyMessageSection);
}
